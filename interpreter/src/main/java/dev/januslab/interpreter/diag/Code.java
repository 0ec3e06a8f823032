package dev.januslab.interpreter.diag;

/**
 * Every diagnostic code the front end reports, with its one-line title. The table in
 * interpreter/DIAGNOSTICS.md lists the same codes; a test keeps the two in step.
 * S = syntax (lexer/parser), N = names, scopes and the concurrency rules.
 */
public enum Code {
    S0001("unexpected token"),
    S0002("missing token"),
    S0003("unterminated string"),
    S0004("invalid escape in a string"),
    S0005("unexpected character"),
    S0006("unterminated block comment"),
    S0007("integer literal out of range"),
    S0008("malformed number"),
    S0009("program nested too deeply"),

    N1001("spawn outside nursery"),
    N1002("await outside async"),
    N1003("async function called without await/async/spawn"),
    N1004("var captured by a task"),
    N1005("assignment to let"),
    N1006("starting a non-async function as a task"),
    N1007("undefined name"),
    N1008("duplicate declaration"),
    N1009("unknown type"),
    N1010("wrong number of arguments"),
    N1011("missing main"),
    N1012("break/continue outside a loop"),
    N1013("top-level var must hold int, float or bool"),
    N1014("redeclared built-in"),
    N1015("unknown field"),
    N1016("missing field in struct literal"),
    N1017("unknown error variant"),
    N1018("invalid assignment target"),
    N1019("async/spawn needs a function call"),
    N1020("built-in function used as a value"),
    N1021("main takes no parameters"),
    N1022("global used before its initialisation"),
    N1023("not a value"),
    N1024("program too large");

    public final String title;

    Code(String title) {
        this.title = title;
    }
}
