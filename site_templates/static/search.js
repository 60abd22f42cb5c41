// Starts Pagefind's search interface on /search/ and runs the query from ?q= so the search
// box in the header works as a plain form without JavaScript on other pages.
(function () {
  "use strict";
  var container = document.getElementById("search");
  if (!container || typeof PagefindUI === "undefined") {
    return;
  }
  var ui = new PagefindUI({
    element: "#search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: "Search notes" }
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
