#!/bin/sh
# Generates the Java mirrors of native/src/vm/opcodes.def (Opcode, Builtin, Method, TypeTag,
# RuntimeError) by running the C preprocessor over the *.java.in templates beside this script.
# Called by exec-maven-plugin in generate-sources: generate.sh DEF_DIR OUT_DIR
set -eu
def_dir=$1
out=$2/dev/januslab/interpreter/bytecode
here=$(dirname "$0")
mkdir -p "$out"
for t in "$here"/*.java.in; do
  name=$(basename "$t" .in)
  cpp -P -undef -nostdinc -I "$def_dir" "$t" > "$out/$name.tmp"
  mv "$out/$name.tmp" "$out/$name"
done
