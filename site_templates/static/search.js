// Starts Pagefind's search interface on /search/ and runs the query from ?q= so the search
// box in the header works as a plain form without JavaScript on other pages.
(function () {
  "use strict";
  var container = document.getElementById("search");
  if (!container || typeof PagefindUI === "undefined") {
    return;
  }
  // A note in another language than the site's carries its tag as Pagefind metadata
  // ("lang"); its result's title and excerpts are marked with it once drawn (WCAG 3.1.2).
  var languages = {};
  function markLanguages() {
    var links = container.querySelectorAll(".pagefind-ui__result-link");
    for (var i = 0; i < links.length; i++) {
      var lang = languages[(links[i].getAttribute("href") || "").split("#")[0]];
      var result = links[i].closest(".pagefind-ui__result-inner") || links[i].parentNode;
      if (lang && result.getAttribute("lang") !== lang) {
        result.setAttribute("lang", lang);
      }
    }
  }
  // The search's own words in the page's language, when the theme's catalogue has them
  var translations = { placeholder: "Search notes" };
  if (container.dataset.translations) {
    translations = JSON.parse(container.dataset.translations);
  }
  var ui = new PagefindUI({
    element: "#search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: translations,
    processResult: function (result) {
      if (result.meta && result.meta.lang) {
        languages[result.url.split("#")[0]] = result.meta.lang;
      }
      return result;
    }
  });
  new MutationObserver(markLanguages).observe(container, { childList: true, subtree: true });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
