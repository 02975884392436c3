; Tags of C++ for src/parse (captures: src/parse/README.md). Adapted from queries/tags.scm of
; tree-sitter/tree-sitter-cpp (MIT License) and from aider's aider/queries/tree-sitter-languages/cpp-tags.scm (Apache License 2.0).
; inherits: c

(class_specifier name: (type_identifier) @name body: (_)) @definition.class
(namespace_definition name: (namespace_identifier) @name) @definition.namespace
(function_definition declarator: (function_declarator declarator: (field_identifier) @name)) @definition.method
; A method defined outside its class is named by it (`Shape::area` → `Shape.area`).
(function_definition
  declarator: (function_declarator
    declarator: (qualified_identifier scope: (_) @scope name: (identifier) @name))) @definition.method
(field_declaration declarator: (function_declarator declarator: (field_identifier) @name)) @definition.method

(call_expression function: (qualified_identifier name: (identifier) @name)) @reference.call
(call_expression function: (template_function name: (identifier) @name)) @reference.call
(qualified_identifier scope: (namespace_identifier) @name (#match? @name "^[A-Z]")) @reference.type
