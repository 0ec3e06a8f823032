/*
 * debug.c — a C-side disassembler for VM debugging (the user-facing one is the Java
 * `janus-lab disasm`). Operand layouts come from opcodes.def, so a new opcode is listed
 * without edits here; a few operands get a comment (constant values, names, targets).
 * Works on unverified modules too: it never reads past the code.
 */
#include <stdio.h>
#include <string.h>

#include "module.h"

static const char *const op_layouts[OP__COUNT] = {
#define OP(name, bytes, layout, pops, pushes, doc) layout,
#include "opcodes.def"
};

static void put_const(const Module *m, uint16_t k, StrBuf *out)
{
    if (k >= m->nconsts) { sb_puts(out, "?"); return; }
    Value v = m->consts[k];
    if (v.tag == T_STR) {
        sb_putc(out, '"');
        sb_putn(out, v.as.s->data, v.as.s->len > 40 ? 40 : v.as.s->len);
        sb_putc(out, '"');
    } else if (v.tag == T_INT) {
        sb_put_int(out, v.as.i);
    } else {
        char buf[40];
        snprintf(buf, sizeof buf, "%.17g", v.as.f);
        sb_puts(out, buf);
    }
}

uint32_t disassemble_instruction(const Module *m, const Function *f, uint32_t pc, StrBuf *out)
{
    char buf[64];
    uint8_t op = f->orig_code[pc];
    snprintf(buf, sizeof buf, "   %04u  ", pc);
    sb_puts(out, buf);
    if (op >= OP__COUNT) {
        snprintf(buf, sizeof buf, "??? (%u)\n", op);
        sb_puts(out, buf);
        return pc + 1;
    }
    if (pc + 1 + vm_op_bytes[op] > f->code_len) {
        sb_puts(out, vm_op_names[op]);
        sb_puts(out, " <truncated>\n");
        return f->code_len;
    }
    snprintf(buf, sizeof buf, "%-19s", vm_op_names[op]);
    sb_puts(out, buf);
    const uint8_t *o = f->orig_code + pc + 1;
    uint32_t vals[3] = {0};
    int n = 0;
    for (const char *l = op_layouts[op]; *l && n < 3;) {
        if (!strncmp(l, "u8", 2)) { vals[n++] = *o; o += 1; l += 2; }
        else if (!strncmp(l, "u16", 3)) { vals[n++] = rd16(o); o += 2; l += 3; }
        else if (!strncmp(l, "u32", 3)) { vals[n++] = rd32(o); o += 4; l += 3; }
        else l++;
    }
    for (int i = 0; i < n; i++) {
        snprintf(buf, sizeof buf, "%s%u", i ? " " : "", vals[i]);
        sb_puts(out, buf);
    }
    switch (op) {
    case OP_CONST:
        sb_puts(out, "\t; ");
        put_const(m, (uint16_t)vals[0], out);
        break;
    case OP_GET_FIELD: case OP_SET_FIELD:
        sb_puts(out, "\t; .");
        sb_puts(out, const_cstr(m, (uint16_t)vals[0]));
        break;
    case OP_JUMP: case OP_JUMP_IF_FALSE: case OP_JUMP_IF_TRUE: case OP_TRY_PUSH:
        snprintf(buf, sizeof buf, "\t; -> %04u", vals[0]);
        sb_puts(out, buf);
        break;
    case OP_CALL_FUNC: case OP_ASYNC_CALL: case OP_SPAWN: case OP_LOAD_FUNC: case OP_MAKE_CLOSURE:
        if (vals[0] < m->nfuncs) {
            sb_puts(out, "\t; ");
            sb_puts(out, m->funcs[vals[0]].name->data);
        }
        break;
    case OP_CALL_BUILTIN:
        if (vals[0] < BI__COUNT) {
            sb_puts(out, "\t; ");
            sb_puts(out, vm_builtin_names[vals[0]]);
        }
        break;
    case OP_CALL_METHOD:
        if (vals[0] < M__COUNT) {
            sb_puts(out, "\t; .");
            sb_puts(out, vm_method_names[vals[0]]);
        }
        break;
    case OP_GET_GLOBAL: case OP_SET_GLOBAL: case OP_GLOBAL_RMW:
        if (vals[0] < m->nglobals) {
            sb_puts(out, "\t; ");
            sb_puts(out, const_cstr(m, m->globals[vals[0]].name));
        }
        break;
    default:
        break;
    }
    sb_putc(out, '\n');
    return pc + 1 + vm_op_bytes[op];
}

void disassemble_function(const Module *m, const Function *f, StrBuf *out)
{
    char buf[160];
    snprintf(buf, sizeof buf, "== %s  arity %u  locals %u  stack %u  flags 0x%x  captures %u ==\n",
             f->name->data, f->arity, f->nlocals, f->max_stack, f->flags, f->ncap);
    sb_puts(out, buf);
    for (uint32_t pc = 0; pc < f->code_len;) pc = disassemble_instruction(m, f, pc, out);
}

void disassemble_module(const Module *m, StrBuf *out)
{
    if (!m) return;
    char buf[160];
    snprintf(buf, sizeof buf, "module %s  init %u  main %u  constants %u  functions %u\n",
             const_cstr(m, m->source_name), m->init_fn, m->main_fn, m->nconsts, m->nfuncs);
    sb_puts(out, buf);
    for (int i = 0; i < m->nfuncs; i++) {
        sb_putc(out, '\n');
        disassemble_function(m, &m->funcs[i], out);
    }
}
