package dev.januslab.interpreter.bytecode;

/** A runtime type check: a tag, plus the struct index for STRUCT (0xFFFF otherwise). */
public record TypeSpec(TypeTag tag, int structIndex) {
    public static final int NO_STRUCT = 0xFFFF;
    public static final TypeSpec ANY = new TypeSpec(TypeTag.ANY, NO_STRUCT);

    public static TypeSpec of(TypeTag tag) {
        return new TypeSpec(tag, NO_STRUCT);
    }
}
