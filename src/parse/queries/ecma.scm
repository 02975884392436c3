; Tags of JavaScript and TypeScript, shared by both for src/parse (captures: src/parse/README.md). Adapted from queries/tags.scm of
; tree-sitter/tree-sitter-javascript (MIT License) and from aider's aider/queries/tree-sitter-languages/javascript-tags.scm (Apache License 2.0).

(class_declaration name: (_) @name) @definition.class
(class name: (_) @name) @definition.class
(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(method_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.method
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)]) @definition.function
(assignment_expression
  left: (member_expression property: (property_identifier) @name)
  right: [(arrow_function) (function_expression)]) @definition.function
(pair key: (property_identifier) @name value: [(arrow_function) (function_expression)]) @definition.function

(call_expression function: (identifier) @name) @reference.call
(call_expression function: (member_expression property: (property_identifier) @name)) @reference.call
(new_expression constructor: (identifier) @name) @reference.call
(new_expression constructor: (member_expression property: (property_identifier) @name)) @reference.call
(member_expression property: [(property_identifier) (private_property_identifier)] @name) @reference.member
(member_expression object: (identifier) @name (#match? @name "^[A-Z]")) @reference.type
(decorator (identifier) @name) @reference.call

(comment) @doc
