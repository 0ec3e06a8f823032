/*
 * quicken.c — load-time superinstructions for the hottest bytecode sequences.
 *
 * Why: a stack VM spends much of its time in dispatch; fib's `n < 2` test is four
 * instructions (LOAD_LOCAL, CONST, LT, JUMP_IF_FALSE). After verification each
 * function gets a copy of its code in which the first opcode byte of such a sequence
 * is replaced by an internal opcode (module.h, Q_*) whose handler does the whole
 * sequence when its operands are ints and otherwise behaves exactly like the
 * LOAD_LOCAL it replaced. Nothing else in the code changes, so jump targets inside a
 * sequence, line tables and error positions stay valid. Line-event mode (step
 * through) runs the original code so every instruction reports its line.
 */
#include <stdlib.h>
#include <string.h>

#include "module.h"

/* Offset of a comparison in the Q_*_JIF groups, or -1. */
static int cmp_index(uint8_t op)
{
    switch (op) {
    case OP_LT: return 0;
    case OP_LE: return 1;
    case OP_GT: return 2;
    case OP_GE: return 3;
    case OP_EQ: return 4;
    case OP_NE: return 5;
    default: return -1;
    }
}

static int int_const(const Module *m, const uint8_t *p)
{
    uint16_t k = rd16(p);
    return k < m->nconsts && m->consts[k].tag == T_INT;
}

static uint8_t fast_tag(TypeSpec t)
{
    switch (t.tag) {
    case TY_ANY: return 0xFF;
    case TY_INT: return T_INT;
    case TY_BOOL: return T_BOOL;
    case TY_STRING: return T_STR;
    case TY_ARRAY: return T_ARRAY;
    case TY_TASK: return T_TASK;
    case TY_NURSERY: return T_NURSERY;
    default: return 0;
    }
}

void module_quicken(Module *m)
{
    for (int i = 0; i < m->nfuncs; i++) {
        Function *f = &m->funcs[i];
        f->ptags = malloc(f->arity ? f->arity : 1);
        if (f->ptags)
            for (int j = 0; j < f->arity; j++) f->ptags[j] = fast_tag(f->params[j]);
        f->rtag = fast_tag(f->ret);
        f->frame_need = (uint32_t)f->nlocals + f->max_stack + 1;
        uint8_t *q = malloc(f->code_len ? f->code_len : 1);
        if (!q) continue;
        memcpy(q, f->orig_code, f->code_len);
        const uint8_t *c = f->orig_code;
        uint32_t n = f->code_len;
        for (uint32_t pc = 0; pc < n; pc += 1 + vm_op_bytes[c[pc]]) {
            if (c[pc] != OP_LOAD_LOCAL) continue;
            /* the code is verified: every opcode seen here has its operands in range */
            int ci = pc + 7 <= n ? cmp_index(c[pc + 6]) : -1;
            if (pc + 12 <= n && c[pc + 3] == OP_CONST && int_const(m, c + pc + 4) && ci >= 0 &&
                c[pc + 7] == OP_JUMP_IF_FALSE)
                q[pc] = (uint8_t)(Q_LC_LT_JIF + ci);
            else if (pc + 12 <= n && c[pc + 3] == OP_LOAD_LOCAL && ci >= 0 && c[pc + 7] == OP_JUMP_IF_FALSE)
                q[pc] = (uint8_t)(Q_LL_LT_JIF + ci);
            else if (pc + 7 <= n && c[pc + 3] == OP_CONST && int_const(m, c + pc + 4) &&
                     (c[pc + 6] == OP_ADD || c[pc + 6] == OP_SUB || c[pc + 6] == OP_MUL))
                q[pc] = (uint8_t)(Q_LC_ADD + (c[pc + 6] - OP_ADD));
            else if (pc + 4 <= n && c[pc + 3] == OP_RETURN)
                q[pc] = Q_LOCAL_RETURN;
        }
        f->quick_code = q;
    }
}

void module_select_code(Module *m, int quick)
{
    for (int i = 0; i < m->nfuncs; i++) {
        Function *f = &m->funcs[i];
        f->code = quick && f->quick_code ? f->quick_code : f->orig_code;
    }
}
