/*
 * fiber.h — a fiber is a saved register set plus a stack; this file is the register
 * set and the switch between two of them.
 *
 * jrt_switch(from, to) saves the System V callee-saved registers (rbx, rbp, r12-r15),
 * the stack pointer and the resume address into *from, loads them from *to and jumps.
 * It is the only way control moves between fibers and worker (scheduler) contexts.
 *
 * Non-goals (what the switch does not save, and why that is safe): caller-saved
 * registers (the C caller of jrt_switch already assumes they are clobbered), the
 * vector registers (all caller-saved in System V), the x87/SSE status flags, and the
 * MXCSR / x87 control words unless JRT_SAVE_FPU is defined — no code in the runtime or
 * the VM changes rounding modes, so every context shares the thread's defaults. The
 * red zone is not an issue: jrt_switch is a real call, so the caller's red zone is
 * below the return address we save.
 *
 * The offsets below are used by switch_x86_64.S and checked against the C struct by
 * _Static_assert in fiber.c, so the two can never disagree.
 */
#ifndef JRT_FIBER_H
#define JRT_FIBER_H

#define JRT_CTX_RSP 0
#define JRT_CTX_RIP 8
#define JRT_CTX_RBX 16
#define JRT_CTX_RBP 24
#define JRT_CTX_R12 32
#define JRT_CTX_R13 40
#define JRT_CTX_R14 48
#define JRT_CTX_R15 56
#define JRT_CTX_MXCSR 64
#define JRT_CTX_FPUCW 68

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef struct jrt_ctx {
    void *rsp;      /* stack pointer to resume with */
    void *rip;      /* address to jump to (return address of jrt_switch, or trampoline) */
    uint64_t rbx, rbp, r12, r13, r14, r15;
#ifdef JRT_SAVE_FPU
    uint32_t mxcsr;
    uint16_t fpucw;
    uint16_t pad;
#endif
} jrt_ctx;

/* Save the current context into *from and resume *to. Returns when something
 * switches back to *from. */
void jrt_switch(jrt_ctx *from, const jrt_ctx *to);

void jrt_fiber_trampoline(void);

/* Save the current context into *from and start entry(arg) on a fresh stack whose
 * highest usable address is top (16-byte aligned): jrt_ctx_init + jrt_switch in one,
 * without building a context that would be read once. entry must never return. */
void jrt_switch_new(jrt_ctx *from, void *top, void (*entry)(void *), void *arg);

/* Resume *to without saving the current context (a finished fiber leaving for good). */
__attribute__((noreturn)) void jrt_jump(const jrt_ctx *to);

/* Prepare *ctx so that switching to it calls entry(arg) on the stack whose highest
 * usable address is stack_top. entry must never return. Inline: once per task run. */
static inline void jrt_ctx_init(jrt_ctx *ctx, void *stack_top, void (*entry)(void *), void *arg)
{
    uintptr_t top = (uintptr_t)stack_top & ~(uintptr_t)15;  /* ABI: 16-byte aligned */
    ctx->rsp = (void *)top;
    ctx->rip = (void *)jrt_fiber_trampoline;
    ctx->rbx = 0;
    ctx->rbp = 0;
    ctx->r12 = (uint64_t)(uintptr_t)arg;
    ctx->r13 = (uint64_t)(uintptr_t)entry;
    ctx->r14 = 0;
    ctx->r15 = 0;
#ifdef JRT_SAVE_FPU
    ctx->mxcsr = 0x1F80;  /* default: all exceptions masked, round to nearest */
    ctx->fpucw = 0x037F;  /* default x87 control word */
    ctx->pad = 0;
#endif
}

/* --- sanitizer hooks around a switch (no-ops in normal builds) -------------------- */
#if defined(JRT_SANITIZE_ADDRESS) || defined(JRT_SANITIZE_THREAD)
#define JRT_SANITIZED 1
#endif
#ifdef JRT_SANITIZE_ADDRESS
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef JRT_SANITIZE_THREAD
#include <sanitizer/tsan_interface.h>
#endif

#endif /* __ASSEMBLER__ */
#endif
