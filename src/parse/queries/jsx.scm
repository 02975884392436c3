; Tags of JSX elements, for JavaScript and TSX for src/parse (captures: src/parse/README.md). Adapted from queries/tags.scm of
; tree-sitter/tree-sitter-javascript (MIT License) and from aider's aider/queries/tree-sitter-languages/javascript-tags.scm (Apache License 2.0).

; A component (`<Panel>`, `<Form.Field>`) is used as a call; intrinsic elements (`<div>`) name nothing of the code.
(jsx_opening_element name: (identifier) @name (#match? @name "^[A-Z]")) @reference.call
(jsx_self_closing_element name: (identifier) @name (#match? @name "^[A-Z]")) @reference.call
(jsx_opening_element name: (member_expression property: (property_identifier) @name)) @reference.call
(jsx_self_closing_element name: (member_expression property: (property_identifier) @name)) @reference.call
