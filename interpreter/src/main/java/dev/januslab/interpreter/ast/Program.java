package dev.januslab.interpreter.ast;

import java.util.List;

/** One source file: its top-level declarations in source order. */
public record Program(String file, List<Decl> decls) {}
