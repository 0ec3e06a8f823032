package dev.januslab.interpreter.ast;

import java.util.List;

/** A statement list that opens a scope (function body, loop body, branch, closure body, handler). */
public record Block(Span span, List<Stmt> stmts) implements Node {}
