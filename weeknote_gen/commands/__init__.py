"""The subcommands beyond building: `new`, `status`, `import`, `digest` and the dev server
(`serve`). Each may import anything above it, the engine included; only `cli` imports them.
"""
