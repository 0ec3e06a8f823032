/*
 * vm.h — one task's VM state: the VM stack of frames, block records and defers.
 *
 * Every Janus task (a libjanusrt fiber) owns one VMTask, allocated when its body starts
 * and freed when it ends. The fiber's own C stack (8 KB) holds only the VM loop's C
 * frame and whatever runtime call is in progress: Janus calls push Frames here, so
 * recursion depth is bounded by VM_MAX_FRAMES / VM_MAX_STACK (→ Runtime.StackOverflow),
 * never by the fiber stack.
 *
 * Memory layout of the value stack of one task:
 *
 *   stack[0 ............................................................ cap)
 *          | frame 0 slots | frame 0 operands | frame 1 slots | operands | ...
 *            ^ frames[0].base                   ^ frames[1].base          ^ sp
 *
 * A callee's slots start at its first argument (arguments are left where the caller
 * pushed them); `ret` is where the result goes in the caller (the callee value's slot
 * for CALL, the first argument's for CALL_FUNC). The stack grows by realloc, so frames
 * keep indexes, not pointers.
 *
 * Blocks (handler and nursery records of BYTECODE.md §4) and defers are two more
 * per-task stacks; each frame remembers where its own part starts.
 */
#ifndef JVM_VM_H
#define JVM_VM_H

#include "module.h"
#include "value.h"

#define VM_MAX_FRAMES 20000          /* deeper Janus recursion raises StackOverflow */
#define VM_MAX_STACK (1u << 21)      /* values (32 MiB) */
#define VM_CHARGE_BATCH 200          /* ops accumulated before jrt_charge */
#define VM_MEM_BATCH 8192            /* bytes accumulated before jrt_mem_charge */
#define VM_BULK_SHIFT 8              /* 1 op of bulk work per 2^8 = 256 bytes handled (about
                                        what memcpy does in one op's 10 ns); smaller objects add none */
#define VM_INLINE_FRAMES 4           /* frames allocated with the VMTask */
#define VM_INLINE_STACK 64           /* values allocated with a recycled VMTask (vm.c) */

enum { BLOCK_HANDLER = 1, BLOCK_NURSERY = 2 };

typedef struct Block {
    uint8_t kind;
    uint32_t handler_pc;   /* BLOCK_HANDLER */
    uint32_t depth;        /* absolute stack index the operand stack is cut to */
    jrt_nursery *nursery;  /* BLOCK_NURSERY (the owner's reference) */
} Block;

enum { EXIT_NONE = 0, EXIT_RETURN = 1, EXIT_ERROR = 2 };
enum { FRAME_CALL = 0, FRAME_DEFER = 1 };

typedef struct Frame {
    const Function *fn;
    const uint8_t *ip;     /* saved while a callee runs */
    uint32_t base;         /* stack index of slot 0 */
    uint32_t ret;          /* stack index the result goes to in the caller */
    uint32_t block_base;   /* first Block of this frame */
    uint32_t defer_base;   /* first defer of this frame */
    Closure *closure;      /* running closure (borrowed: it sits in the caller's stack) */
    jrt_nursery *implicit; /* implicit body nursery, created at first task start */
    uint8_t kind;          /* FRAME_CALL / FRAME_DEFER */
    uint8_t exiting;       /* EXIT_*: running its exit sequence (join, defers) */
    uint8_t joined;        /* implicit nursery already joined */
    uint8_t slow_exit;     /* RETURN must run the exit sequence: bottom or defer frame,
                              has defers or an implicit nursery */
    Value pending;         /* return value or error while exiting */
} Frame;

typedef struct VMTask {
    struct VMTask *live_prev, *live_next;  /* its shard's live list: bodies still running */
    uint8_t shard;         /* whose live list (the worker it started on) */
    void *start;           /* its TaskStart (freed at the end, or by reclaim) */
    Module *m;
    int64_t task_id;
    Value *stack;
    uint32_t stack_cap;
    uint32_t sp;           /* saved stack top (index) when not in the loop */
    Frame *frames;
    uint32_t nframes, frames_cap;
    Block *blocks;
    uint32_t nblocks, blocks_cap;
    Value *defers;
    uint32_t ndefers, defers_cap;
    Obj objs;              /* sentinel of the list of this task's live containers */
    int64_t mem_pending;   /* bytes not yet passed to jrt_mem_charge */
    int64_t bulk_ops;      /* work done inside single instructions (copying, comparing,
                              summing: 2^VM_BULK_SHIFT bytes or one element = 1 op), charged
                              with the next batch of ops so virtual time and quanta see it */
    int mem_over;          /* jrt_mem_charge said EBUDGET: raise BudgetExceeded */
    int32_t cur_line;      /* last line passed to jrt_line */
    int32_t line_of_ip;    /* task_line's cache: the line of line_ip */
    const uint8_t *line_ip;
    int64_t ops_total;     /* instructions charged (jvm_stat) */
    struct Delivered {     /* failed children whose error AWAIT already raised here; */
        jrt_task *task;    /* the task is retained so its error object stays unique */
        void *error;
    } *delivered;
    uint32_t ndelivered, delivered_cap;
    char msg[192];         /* detail of the error being raised (parameter name...) */
    StrBuf trace;          /* frames the current error has unwound through */
    int trace_frames;
    /* The first frames and the first stack_cap values live in the VMTask's own
     * allocation (one malloc per task instead of three); growing moves them out. */
    Frame frames0[VM_INLINE_FRAMES];
    Value stack0[];
} VMTask;

/* vm.c */
int vm_run_function(VMTask *vt, uint16_t fidx, Closure *closure, Value *args, int argc,
                    Value *result);
void vm_flush_mem(VMTask *vt);
const char *error_set_name(const Module *m, Value err);
const char *error_variant_name(const Module *m, Value err);
void error_render(const Module *m, Value err, StrBuf *b);

/* builtins.c: each returns 0, or a Runtime error variant + 1 with vt->msg set. */
int builtin_call(VMTask *vt, int id, Value *args, int argc, Value *out);
int method_call(VMTask *vt, int id, Value *recv_and_args, Value *out);
int arith(VMTask *vt, int op, Value a, Value b, Value *out);   /* op 0..4 + - * / % */
const char *type_spec_name(const Module *m, TypeSpec t);

/* BYTECODE.md §6: 1 when v has type t (FLOAT converts an int in place). */
static inline int type_check(const Module *m, TypeSpec t, Value *v)
{
    (void)m;
    switch (t.tag) {
    case TY_ANY: return 1;
    case TY_INT: return v->tag == T_INT;
    case TY_FLOAT:
        if (v->tag == T_INT) {
            *v = FLOAT_VAL((double)v->as.i);
            return 1;
        }
        return v->tag == T_FLOAT;
    case TY_BOOL: return v->tag == T_BOOL;
    case TY_STRING: return v->tag == T_STR;
    case TY_ARRAY: return v->tag == T_ARRAY;
    case TY_STRUCT: return v->tag == T_STRUCT && v->as.st->sidx == t.sidx;
    case TY_TASK: return v->tag == T_TASK;
    case TY_NURSERY: return v->tag == T_NURSERY;
    case TY_VOID: return v->tag == T_NIL;
    default: return 0;
    }
}

#endif
