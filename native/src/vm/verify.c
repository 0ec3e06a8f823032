/*
 * verify.c — prove a parsed module safe to run (BYTECODE.md §3).
 *
 * What the VM loop may then assume without checking: every opcode is known and its
 * operands lie inside the code; every jump and handler target starts an instruction;
 * constant, local, capture, global, function, struct, error-set/variant, builtin and
 * method indexes are in range and of the right kind; calls by index pass exactly the
 * callee's arity; the operand stack depth at each instruction is the same on every
 * path, never negative and never above max_stack (so the loop never checks for stack
 * overflow inside a frame); the block stack (handlers and nursery records) nests
 * properly and is empty at RETURN; the code never falls off its end.
 *
 * The block stack is tracked exactly: each distinct block-stack shape is interned as a
 * node (parent, kind, handler pc) and every instruction gets one (depth, node) state.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

typedef struct BlockNode {
    int32_t parent;
    uint8_t kind;          /* 1 handler, 2 nursery */
    uint32_t handler;
} BlockNode;

typedef struct Verifier {
    const Module *m;
    const Function *f;
    int fi;
    char *err;
    size_t err_cap;
    int failed;
    BlockNode *nodes;
    int32_t nnodes, cap_nodes;
} Verifier;

static void vfail(Verifier *v, uint32_t pc, const char *fmt, ...)
{
    if (v->failed) return;
    v->failed = 1;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!v->err_cap) return;
    if (v->f)
        snprintf(v->err, v->err_cap, "bad bytecode in function %d `%s` at pc %u: %s", v->fi,
                 v->f->name->data, pc, msg);
    else
        snprintf(v->err, v->err_cap, "bad module: %s", msg);
}

static int is_str_const(const Module *m, uint32_t k)
{
    return k < m->nconsts && m->consts[k].tag == T_STR;
}

static int type_ok(const Module *m, TypeSpec t)
{
    if (t.tag >= TY__COUNT) return 0;
    if (t.tag == TY_STRUCT && t.sidx >= m->nstructs) return 0;
    return 1;
}

static int32_t node_push(Verifier *v, int32_t parent, uint8_t kind, uint32_t handler)
{
    for (int32_t i = 1; i < v->nnodes; i++) {
        BlockNode *n = &v->nodes[i];
        if (n->parent == parent && n->kind == kind && n->handler == handler) return i;
    }
    if (v->nnodes == v->cap_nodes) {
        int32_t cap = v->cap_nodes ? v->cap_nodes * 2 : 16;
        BlockNode *nn = realloc(v->nodes, sizeof(BlockNode) * (size_t)cap);
        if (!nn) return -1;
        v->nodes = nn;
        v->cap_nodes = cap;
    }
    v->nodes[v->nnodes] = (BlockNode){parent, kind, handler};
    return v->nnodes++;
}

/* Operand checks of one instruction; computes its pops/pushes. */
static void check_operands(Verifier *v, uint32_t pc, const uint8_t *ip, int *pops, int *pushes)
{
    const Module *m = v->m;
    const Function *f = v->f;
    uint8_t op = ip[0];
    const uint8_t *o = ip + 1;
    *pops = 0;
    *pushes = 0;
    switch (op) {
#define OP(name, bytes, layout, p, q, doc) case OP_##name: *pops = p; *pushes = q; break;
#include "opcodes.def"
    }
    switch (op) {
    case OP_CONST:
        if (rd16(o) >= m->nconsts) vfail(v, pc, "constant %u out of range", rd16(o));
        break;
    case OP_LOAD_LOCAL: case OP_STORE_LOCAL: case OP_BOX_LOCAL: case OP_LOAD_CELL:
    case OP_STORE_CELL:
        if (rd16(o) >= f->nlocals) vfail(v, pc, "local %u out of range (%u locals)", rd16(o), f->nlocals);
        break;
    case OP_LOAD_CAPTURE: case OP_LOAD_CAPTURE_CELL: case OP_STORE_CAPTURE_CELL:
        if (o[0] >= f->ncap) vfail(v, pc, "capture %u out of range (%u captures)", o[0], f->ncap);
        break;
    case OP_GET_GLOBAL:
        if (rd16(o) >= m->nglobals) vfail(v, pc, "global %u out of range", rd16(o));
        break;
    case OP_SET_GLOBAL:
        if (rd16(o) >= m->nglobals) vfail(v, pc, "global %u out of range", rd16(o));
        else if (m->globals[rd16(o)].kind == GLOBAL_LET && !(f->flags & F_INIT))
            vfail(v, pc, "let global %u assigned outside the init function", rd16(o));
        break;
    case OP_GLOBAL_RMW:
        if (rd16(o) >= m->nglobals) vfail(v, pc, "global %u out of range", rd16(o));
        else if (m->globals[rd16(o)].kind != GLOBAL_VAR) vfail(v, pc, "GLOBAL_RMW on a let global");
        else if (o[2] > 4) vfail(v, pc, "GLOBAL_RMW op %u unknown", o[2]);
        break;
    case OP_LOAD_FUNC:
        if (rd16(o) >= m->nfuncs) vfail(v, pc, "function %u out of range", rd16(o));
        else if (m->funcs[rd16(o)].ncap) vfail(v, pc, "LOAD_FUNC of a function with captures");
        break;
    case OP_MAKE_CLOSURE: {
        uint16_t fi = rd16(o);
        if (fi >= m->nfuncs) { vfail(v, pc, "function %u out of range", fi); break; }
        if (!(m->funcs[fi].flags & F_CLOSURE) || m->funcs[fi].ncap != o[2])
            vfail(v, pc, "MAKE_CLOSURE %u with %u captures does not match the function", fi, o[2]);
        *pops = o[2];
        break;
    }
    case OP_CALL_FUNC: case OP_ASYNC_CALL: case OP_SPAWN: {
        uint16_t fi = rd16(o);
        if (fi >= m->nfuncs) { vfail(v, pc, "function %u out of range", fi); break; }
        if (m->funcs[fi].arity != o[2]) vfail(v, pc, "call of `%s` with %u arguments, arity %u",
                                              m->funcs[fi].name->data, o[2], m->funcs[fi].arity);
        if (m->funcs[fi].ncap) vfail(v, pc, "direct call of a closure function");
        *pops = o[2];
        break;
    }
    case OP_CALL: case OP_ASYNC_CALL_VALUE: case OP_SPAWN_VALUE:
        *pops = o[0] + 1;
        break;
    case OP_CALL_BUILTIN:
        if (o[0] >= BI__COUNT) { vfail(v, pc, "builtin %u unknown", o[0]); break; }
        if (o[1] < vm_builtin_min[o[0]] || (vm_builtin_max[o[0]] >= 0 && o[1] > vm_builtin_max[o[0]]))
            vfail(v, pc, "builtin %s with %u arguments", vm_builtin_names[o[0]], o[1]);
        *pops = o[1];
        break;
    case OP_CALL_METHOD:
        if (o[0] >= M__COUNT) { vfail(v, pc, "method %u unknown", o[0]); break; }
        if (o[1] != vm_method_args[o[0]])
            vfail(v, pc, "method %s with %u arguments", vm_method_names[o[0]], o[1]);
        *pops = o[1] + 1;
        break;
    case OP_NEW_ARRAY:
        *pops = rd16(o);
        break;
    case OP_NEW_STRUCT:
        if (rd16(o) >= m->nstructs) { vfail(v, pc, "struct %u out of range", rd16(o)); break; }
        *pops = m->structs[rd16(o)].nfields;
        break;
    case OP_GET_FIELD: case OP_SET_FIELD:
        if (!is_str_const(m, rd16(o))) vfail(v, pc, "field name constant %u is not a string", rd16(o));
        break;
    case OP_MAKE_ERROR:
        if (rd16(o) >= m->nsets) vfail(v, pc, "error set %u out of range", rd16(o));
        else if (rd16(o + 2) >= m->sets[rd16(o)].nvariants)
            vfail(v, pc, "error variant %u out of range", rd16(o + 2));
        break;
    case OP_CHECK_TYPE:
        if (!type_ok(m, (TypeSpec){o[0], rd16(o + 1)})) vfail(v, pc, "bad type tag %u/%u", o[0], rd16(o + 1));
        break;
    default:
        break;
    }
}

static int verify_function(Verifier *v)
{
    const Function *f = v->f;
    const Module *m = v->m;
    uint32_t n = f->code_len;
    if (f->arity > f->nlocals) { vfail(v, 0, "arity %u above locals %u", f->arity, f->nlocals); return -1; }
    if (f->ncap && !(f->flags & F_CLOSURE)) { vfail(v, 0, "captures without the CLOSURE flag"); return -1; }
    for (int i = 0; i < f->arity; i++) {
        if (!type_ok(m, f->params[i])) { vfail(v, 0, "parameter %d has a bad type", i); return -1; }
        if (!is_str_const(m, f->param_names[i])) { vfail(v, 0, "parameter %d name is not a string", i); return -1; }
    }
    if (!type_ok(m, f->ret)) { vfail(v, 0, "bad return type"); return -1; }
    if (n == 0) { vfail(v, 0, "empty code"); return -1; }
    for (uint32_t i = 0; i < f->nlines; i++) {
        if ((i == 0 && f->lines[0].pc != 0) || (i > 0 && f->lines[i].pc < f->lines[i - 1].pc)) {
            vfail(v, 0, "line table not sorted from pc 0");
            return -1;
        }
    }

    /* pass 1: instruction boundaries */
    uint8_t *start = calloc(n + 1, 1);
    int32_t *depth = malloc(sizeof(int32_t) * (n + 1));
    int32_t *block = malloc(sizeof(int32_t) * (n + 1));
    uint32_t *work = malloc(sizeof(uint32_t) * (n + 1));
    if (!start || !depth || !block || !work) {
        vfail(v, 0, "out of memory");
        goto done;
    }
    for (uint32_t pc = 0; pc < n;) {
        uint8_t op = f->code[pc];
        if (op >= OP__COUNT) { vfail(v, pc, "unknown opcode %u", op); goto done; }
        if (pc + 1 + vm_op_bytes[op] > n) { vfail(v, pc, "%s operands run past the code end", vm_op_names[op]); goto done; }
        start[pc] = 1;
        pc += 1 + vm_op_bytes[op];
    }
    for (uint32_t i = 0; i <= n; i++) depth[i] = -1;

    /* pass 2: abstract interpretation of depth and block stack */
    uint32_t nwork = 0;
    depth[0] = 0;
    block[0] = 0;
    work[nwork++] = 0;
#define FLOW(target, d, b)                                                                 \
    do {                                                                                   \
        uint32_t t_ = (target);                                                            \
        if (t_ >= n || !start[t_]) { vfail(v, pc, "jump target %u is not an instruction", t_); goto done; } \
        if (depth[t_] < 0) { depth[t_] = (d); block[t_] = (b); work[nwork++] = t_; }       \
        else if (depth[t_] != (d)) { vfail(v, t_, "stack depth %d here but %d on another path", depth[t_], (d)); goto done; } \
        else if (block[t_] != (b)) { vfail(v, t_, "handler/nursery blocks differ between paths"); goto done; } \
    } while (0)
    while (nwork > 0 && !v->failed) {
        uint32_t pc = work[--nwork];
        const uint8_t *ip = f->code + pc;
        uint8_t op = ip[0];
        int pops, pushes;
        check_operands(v, pc, ip, &pops, &pushes);
        if (v->failed) goto done;
        int32_t d = depth[pc], b = block[pc];
        if (d < pops) { vfail(v, pc, "%s pops %d but the stack holds %d", vm_op_names[op], pops, d); goto done; }
        d = d - pops + pushes;
        if (d > f->max_stack) { vfail(v, pc, "stack depth %d above max_stack %u", d, f->max_stack); goto done; }
        uint32_t next = pc + 1 + vm_op_bytes[op];
        switch (op) {
        case OP_RETURN:
            if (b != 0) { vfail(v, pc, "RETURN with open handler or nursery blocks"); goto done; }
            break;
        case OP_FAIL:
            break;
        case OP_JUMP:
            FLOW(rd32(ip + 1), d, b);
            break;
        case OP_JUMP_IF_FALSE: case OP_JUMP_IF_TRUE:
            FLOW(rd32(ip + 1), d, b);
            FLOW(next, d, b);
            break;
        case OP_TRY_PUSH: {
            FLOW(rd32(ip + 1), d + 1, b);
            if (d + 1 > f->max_stack) { vfail(v, pc, "handler depth above max_stack"); goto done; }
            int32_t nb = node_push(v, b, 1, rd32(ip + 1));
            if (nb < 0) { vfail(v, pc, "out of memory"); goto done; }
            FLOW(next, d, nb);
            break;
        }
        case OP_TRY_POP:
            if (b == 0 || v->nodes[b].kind != 1) { vfail(v, pc, "TRY_POP without a handler on top"); goto done; }
            FLOW(next, d, v->nodes[b].parent);
            break;
        case OP_NURSERY_OPEN: {
            int32_t nb = node_push(v, b, 2, 0);
            if (nb < 0) { vfail(v, pc, "out of memory"); goto done; }
            FLOW(next, d, nb);
            break;
        }
        case OP_NURSERY_CLOSE:
            if (b == 0 || v->nodes[b].kind != 2) { vfail(v, pc, "NURSERY_CLOSE without a nursery on top"); goto done; }
            FLOW(next, d, v->nodes[b].parent);
            break;
        default:
            if (next >= n) { vfail(v, pc, "code falls off the end of the function"); goto done; }
            FLOW(next, d, b);
            break;
        }
    }
#undef FLOW
done:
    free(start);
    free(depth);
    free(block);
    free(work);
    return v->failed ? -1 : 0;
}

int module_verify(const Module *m, char *err, size_t err_cap)
{
    Verifier v = {.m = m, .err = err, .err_cap = err_cap};
    if (!is_str_const(m, m->source_name)) vfail(&v, 0, "source name constant is not a string");
    if (m->nsets < 2) vfail(&v, 0, "error-set table lacks Runtime and NetError");
    else if (m->sets[SET_RUNTIME].nvariants < E__COUNT || m->sets[SET_NETERROR].nvariants < NE__COUNT)
        vfail(&v, 0, "built-in error sets have too few variants");
    for (int i = 0; i < m->nsets && !v.failed; i++) {
        if (!is_str_const(m, m->sets[i].name)) vfail(&v, 0, "error set %d name is not a string", i);
        for (int j = 0; j < m->sets[i].nvariants; j++)
            if (!is_str_const(m, m->sets[i].variants[j])) vfail(&v, 0, "error set %d variant %d name is not a string", i, j);
    }
    for (int i = 0; i < m->nstructs && !v.failed; i++) {
        const StructDef *s = &m->structs[i];
        if (!is_str_const(m, s->name)) vfail(&v, 0, "struct %d name is not a string", i);
        for (int j = 0; j < s->nfields; j++) {
            if (!is_str_const(m, s->field_names[j])) vfail(&v, 0, "struct %d field %d name is not a string", i, j);
            if (!type_ok(m, s->field_types[j])) vfail(&v, 0, "struct %d field %d has a bad type", i, j);
        }
    }
    for (int i = 0; i < m->nglobals && !v.failed; i++) {
        if (!is_str_const(m, m->globals[i].name)) vfail(&v, 0, "global %d name is not a string", i);
        if (m->globals[i].kind > GLOBAL_VAR) vfail(&v, 0, "global %d has unknown kind", i);
    }
    if (!v.failed) {
        if (m->init_fn >= m->nfuncs || m->main_fn >= m->nfuncs) vfail(&v, 0, "init/main function index out of range");
        else if (m->funcs[m->init_fn].arity != 0 || m->funcs[m->init_fn].ncap != 0) vfail(&v, 0, "init function takes arguments");
        else if (m->funcs[m->main_fn].arity != 0 || !(m->funcs[m->main_fn].flags & F_ASYNC) || m->funcs[m->main_fn].ncap)
            vfail(&v, 0, "main must be async with no parameters");
    }
    for (int i = 0; i < m->nfuncs && !v.failed; i++) {
        v.f = &m->funcs[i];
        v.fi = i;
        v.nnodes = 1;
        if (!v.nodes) {
            v.nodes = malloc(sizeof(BlockNode) * 16);
            v.cap_nodes = v.nodes ? 16 : 0;
            if (!v.nodes) { vfail(&v, 0, "out of memory"); break; }
        }
        v.nodes[0] = (BlockNode){-1, 0, 0};
        verify_function(&v);
    }
    free(v.nodes);
    return v.failed ? -1 : 0;
}
