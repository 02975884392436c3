; Tags of TSX for src/parse (captures: src/parse/README.md). Adapted from queries/tags.scm of
; tree-sitter/tree-sitter-typescript (MIT License) and from aider's aider/queries/tree-sitter-languages/typescript-tags.scm (Apache License 2.0).
; inherits: typescript, jsx
