/*
 * switch_x86_64.S — the context switch and the first-entry trampoline of a fiber.
 * Register offsets come from fiber.h (checked against struct jrt_ctx in fiber.c).
 * System V: rdi = first argument, rsi = second.
 */
#include "fiber.h"

        .text

/* void jrt_switch(jrt_ctx *from, const jrt_ctx *to) */
        .globl  jrt_switch
        .hidden jrt_switch
        .type   jrt_switch, @function
        .p2align 4
jrt_switch:
        .cfi_startproc
        movq    (%rsp), %rax            /* our return address: where `from` resumes */
        leaq    8(%rsp), %rdx           /* rsp as the caller sees it after we return */
        movq    %rdx, JRT_CTX_RSP(%rdi)
        movq    %rax, JRT_CTX_RIP(%rdi)
        movq    %rbx, JRT_CTX_RBX(%rdi)
        movq    %rbp, JRT_CTX_RBP(%rdi)
        movq    %r12, JRT_CTX_R12(%rdi)
        movq    %r13, JRT_CTX_R13(%rdi)
        movq    %r14, JRT_CTX_R14(%rdi)
        movq    %r15, JRT_CTX_R15(%rdi)
#ifdef JRT_SAVE_FPU
        stmxcsr JRT_CTX_MXCSR(%rdi)     /* SSE control/status word */
        fnstcw  JRT_CTX_FPUCW(%rdi)     /* x87 control word (no wait: no pending exc.) */
        ldmxcsr JRT_CTX_MXCSR(%rsi)
        fldcw   JRT_CTX_FPUCW(%rsi)
#endif
        movq    JRT_CTX_RBX(%rsi), %rbx
        movq    JRT_CTX_RBP(%rsi), %rbp
        movq    JRT_CTX_R12(%rsi), %r12
        movq    JRT_CTX_R13(%rsi), %r13
        movq    JRT_CTX_R14(%rsi), %r14
        movq    JRT_CTX_R15(%rsi), %r15
        movq    JRT_CTX_RSP(%rsi), %rsp /* from here on we are on the target stack */
        jmpq    *JRT_CTX_RIP(%rsi)      /* indirect jmp, not ret: keeps the return-stack
                                           predictor balanced (no unmatched call/ret) */
        .cfi_endproc
        .size   jrt_switch, .-jrt_switch

/* First code a new fiber runs: jrt_ctx_init put entry in r13 and its argument in r12,
 * and rsp 16-byte aligned, so the call below sees the ABI-mandated alignment. */
        .globl  jrt_fiber_trampoline
        .hidden jrt_fiber_trampoline
        .type   jrt_fiber_trampoline, @function
        .p2align 4
jrt_fiber_trampoline:
        .cfi_startproc
        .cfi_undefined rip              /* outermost frame: stop unwinders/debuggers here */
        xorl    %ebp, %ebp              /* frame-pointer chain ends here too */
        movq    %r12, %rdi
        callq   *%r13                   /* entry(arg); never returns */
        ud2                             /* ... and if it did, fault loudly */
        .cfi_endproc
        .size   jrt_fiber_trampoline, .-jrt_fiber_trampoline

/* void jrt_switch_new(jrt_ctx *from, void *top, void (*entry)(void *), void *arg)
 * Save the current context into *from (as jrt_switch does), then start a fresh fiber:
 * rsp = top (16-byte aligned by the caller), call entry(arg), which never returns. The
 * same as jrt_ctx_init + jrt_switch without writing and re-reading a context that is
 * used exactly once: the fiber's own context is first written by its first switch out. */
        .globl  jrt_switch_new
        .hidden jrt_switch_new
        .type   jrt_switch_new, @function
        .p2align 4
jrt_switch_new:
        .cfi_startproc
        movq    (%rsp), %rax
        leaq    8(%rsp), %r8
        movq    %r8, JRT_CTX_RSP(%rdi)
        movq    %rax, JRT_CTX_RIP(%rdi)
        movq    %rbx, JRT_CTX_RBX(%rdi)
        movq    %rbp, JRT_CTX_RBP(%rdi)
        movq    %r12, JRT_CTX_R12(%rdi)
        movq    %r13, JRT_CTX_R13(%rdi)
        movq    %r14, JRT_CTX_R14(%rdi)
        movq    %r15, JRT_CTX_R15(%rdi)
#ifdef JRT_SAVE_FPU
        stmxcsr JRT_CTX_MXCSR(%rdi)
        fnstcw  JRT_CTX_FPUCW(%rdi)
        ldmxcsr jrt_default_mxcsr(%rip) /* a new fiber starts with the defaults */
        fldcw   jrt_default_fpucw(%rip)
#endif
        movq    %rsi, %rsp              /* from here on we are on the new stack */
        .cfi_undefined rip              /* outermost frame of the fiber */
        xorl    %ebp, %ebp
        movq    %rcx, %rdi
        callq   *%rdx                   /* entry(arg); never returns */
        ud2
        .cfi_endproc
        .size   jrt_switch_new, .-jrt_switch_new

/* void jrt_jump(const jrt_ctx *to) — resume *to without saving anything: for a fiber
 * that has finished and whose stack is about to be reused. */
        .globl  jrt_jump
        .hidden jrt_jump
        .type   jrt_jump, @function
        .p2align 4
jrt_jump:
        .cfi_startproc
#ifdef JRT_SAVE_FPU
        ldmxcsr JRT_CTX_MXCSR(%rdi)
        fldcw   JRT_CTX_FPUCW(%rdi)
#endif
        movq    JRT_CTX_RBX(%rdi), %rbx
        movq    JRT_CTX_RBP(%rdi), %rbp
        movq    JRT_CTX_R12(%rdi), %r12
        movq    JRT_CTX_R13(%rdi), %r13
        movq    JRT_CTX_R14(%rdi), %r14
        movq    JRT_CTX_R15(%rdi), %r15
        movq    JRT_CTX_RSP(%rdi), %rsp
        jmpq    *JRT_CTX_RIP(%rdi)
        .cfi_endproc
        .size   jrt_jump, .-jrt_jump

#ifdef JRT_SAVE_FPU
        .section .rodata
        .p2align 2
jrt_default_mxcsr:
        .long   0x1F80
jrt_default_fpucw:
        .short  0x037F
#endif

        .section .note.GNU-stack,"",@progbits
