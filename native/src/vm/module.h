/*
 * module.h — a loaded bytecode module (native/BYTECODE.md §2) and its verifier.
 *
 * Loading parses the file into the tables below (module.c); verification (verify.c)
 * then proves every property the VM loop relies on, so the loop itself checks only
 * what depends on run-time values (types, bounds, arithmetic). A module that fails
 * either step is freed and never executed.
 */
#ifndef JVM_MODULE_H
#define JVM_MODULE_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "value.h"

/* Opcode, builtin, method, type and runtime-error numbers from the one X-macro file. */
enum {
#define OP(name, bytes, layout, pops, pushes, doc) OP_##name,
#include "opcodes.def"
    OP__COUNT
};
enum {
#define BUILTIN(name, jname, min, max) BI_##name,
#include "opcodes.def"
    BI__COUNT
};
enum {
#define METHOD(name, jname, args) M_##name,
#include "opcodes.def"
    M__COUNT
};
enum {
#define TYPE(name, jname) TY_##name,
#include "opcodes.def"
    TY__COUNT
};
enum {
#define RUNTIME_ERROR(name) E_##name,
#include "opcodes.def"
    E__COUNT
};
enum {
#define NET_ERROR(name) NE_##name,
#include "opcodes.def"
    NE__COUNT
};
enum { SET_RUNTIME = 0, SET_NETERROR = 1 };

enum { /* function flags */
    F_ASYNC = 1, F_CLOSURE = 2, F_NO_NURSERY = 4, F_INIT = 8, F_HELPER = 16
};
enum { CONST_INT = 1, CONST_FLOAT = 2, CONST_STRING = 3 };
enum { GLOBAL_LET = 0, GLOBAL_VAR = 1 };

#define VM_VERSION_MAJOR 1
#define VM_VERSION_MINOR 0

extern const uint8_t vm_op_bytes[OP__COUNT];   /* operand bytes per opcode */
extern const char *const vm_op_names[OP__COUNT];
extern const char *const vm_builtin_names[BI__COUNT];
extern const int8_t vm_builtin_min[BI__COUNT], vm_builtin_max[BI__COUNT];
extern const char *const vm_method_names[M__COUNT];
extern const int8_t vm_method_args[M__COUNT];
extern const char *const vm_type_names[TY__COUNT];

typedef struct TypeSpec {
    uint8_t tag;        /* TY_* */
    uint16_t sidx;      /* struct index for TY_STRUCT */
} TypeSpec;

typedef struct LineEntry {
    uint32_t pc, line;
    uint16_t col;
} LineEntry;

typedef struct Function {
    Str *name;
    uint8_t arity, flags, ncap;
    uint8_t check_params;        /* some parameter type is not ANY */
    uint16_t nlocals, max_stack;
    uint32_t line;
    TypeSpec *params;            /* [arity] */
    uint16_t *param_names;       /* [arity] const indexes */
    TypeSpec ret;
    uint8_t *ptags;              /* [arity] fast check: value tag a parameter must have,
                                    0xFF any, 0 needs type_check (float, struct, void) */
    uint8_t rtag;                /* same for the return value */
    uint32_t frame_need;         /* nlocals + max_stack + 1: stack a call reserves */
    uint8_t *code;               /* what the loop executes: orig_code or quick_code */
    uint8_t *orig_code;          /* as in the file (points into Module.bytes) */
    uint8_t *quick_code;         /* copy with superinstructions (module_quicken) */
    uint32_t code_len;
    uint32_t nlines;
    LineEntry *lines;
} Function;

typedef struct StructDef {
    uint16_t name;               /* const index */
    uint16_t nfields;
    uint16_t *field_names;       /* const indexes */
    TypeSpec *field_types;
} StructDef;

typedef struct ErrorSet {
    uint16_t name;
    uint16_t nvariants;
    uint16_t *variants;          /* const indexes */
} ErrorSet;

/* A global's storage. `var` globals are read and written as one 16-byte atomic word
 * (tag + payload) so a reader never sees a torn value, even when the type changes;
 * `let` globals are written only by init (before any other task exists). */
typedef struct Global {
    _Alignas(16) uint64_t word[2];   /* var: [0] payload, [1] tag; let: unused */
    Value let_value;
    uint16_t name;
    uint8_t kind;                    /* GLOBAL_LET / GLOBAL_VAR */
} Global;

typedef struct Module {
    uint8_t *bytes;              /* the copied file */
    int64_t len;
    uint16_t source_name;        /* const index */
    uint16_t init_fn, main_fn;
    uint32_t nconsts;
    Value *consts;               /* INT, FLOAT, or STR (immortal) */
    uint16_t nstructs;
    StructDef *structs;
    uint16_t nsets;
    ErrorSet *sets;
    uint16_t nglobals;
    Global *globals;
    uint16_t nfuncs;
    Function *funcs;

    /* run state (one run at a time) */
    jrt_runtime *rt;
    int line_events;             /* emit `line` events on every line change */
    uint64_t seed;               /* for http_get latencies */
    _Atomic int64_t bytes_allocated, bytes_live, bytes_peak;
    /* Per-task bookkeeping, one shard per worker (index = jrt_worker_id()) plus one for
     * the threads that are not workers (VM_SHARD_OTHER). Each task touches the shard of
     * the worker it is on, so two workers do not fight over one lock and one line per
     * task (vm.c, "task start records"). */
    struct VmShard {
        _Alignas(64) atomic_flag lock;
        /* TaskStart records of spawned tasks whose body has not begun. The runtime never
         * calls the body of a task cancelled before it ran, and does not hand back the
         * arguments of tasks left queued by a stopped run, so the VM frees what is left
         * here when the run is over (vm.c, pending_*). */
        struct TaskStart *pending;
        /* VMTasks whose body is running. A task abandoned by jrt_stop (it never reached
         * a checkpoint) never returns; jvm_module_free reclaims what is left here. */
        struct VMTask *live;
        /* VMTask blocks of the common size, kept for the worker's next task (vm.c,
         * vmtask_new): a block is ~2 KB, past what malloc caches cheaply. Owner only. */
        struct VtFree { struct VtFree *next; } *vt_free;
        uint32_t vt_n;
        _Atomic int64_t instructions, tasks;
        _Atomic int64_t start_structs;   /* TaskStart records made - freed here (leak check) */
    } shard[65];                         /* JRT_MAX_WORKERS + 1 */
} Module;
#define VM_SHARD_OTHER 64

/* module.c */
Module *module_parse(const uint8_t *bytes, int64_t len, char *err, size_t err_cap);
void module_destroy(Module *m);
int32_t function_line_at(const Function *f, uint32_t pc);   /* 0 if none */
const char *const_cstr(const Module *m, uint16_t k);         /* NUL-terminated */

/* verify.c: 0 when m is safe to run, else -1 with a reason in err. */
int module_verify(const Module *m, char *err, size_t err_cap);

/* Internal superinstructions (quicken.c). Quickening rewrites only the opcode byte of
 * the first instruction of a recognised sequence; the operands and the following
 * instructions stay as they were, so a jump into the middle of the sequence still
 * works and the handler falls back to the original first instruction (always
 * LOAD_LOCAL) when its fast case does not apply. */
enum {
    /* LOAD_LOCAL s; CONST k(int) | LOAD_LOCAL s2; LT|LE|GT|GE|EQ|NE; JUMP_IF_FALSE t,
     * one opcode per comparison (in opcodes.def order LT LE GT GE, then EQ NE) */
    Q_LC_LT_JIF = OP__COUNT, Q_LC_LE_JIF, Q_LC_GT_JIF, Q_LC_GE_JIF, Q_LC_EQ_JIF, Q_LC_NE_JIF,
    Q_LL_LT_JIF, Q_LL_LE_JIF, Q_LL_GT_JIF, Q_LL_GE_JIF, Q_LL_EQ_JIF, Q_LL_NE_JIF,
    /* LOAD_LOCAL s; CONST k(int); ADD|SUB|MUL */
    Q_LC_ADD, Q_LC_SUB, Q_LC_MUL,
    Q_LOCAL_RETURN,                    /* LOAD_LOCAL s; RETURN */
    Q__END
};
void module_quicken(Module *m);
/* Execute quickened code (1) or the original (0, for line events). */
void module_select_code(Module *m, int quick);

/* debug.c */
void disassemble_function(const Module *m, const Function *f, StrBuf *out);
void disassemble_module(const Module *m, StrBuf *out);
/* One instruction at code[pc]; returns the next pc. */
uint32_t disassemble_instruction(const Module *m, const Function *f, uint32_t pc, StrBuf *out);

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
#else
static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
#endif

#endif
