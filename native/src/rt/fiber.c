/*
 * fiber.c — building a fresh context; the C side of the offsets contract.
 */
#include "fiber.h"

#include <stddef.h>
#include <stdint.h>

_Static_assert(offsetof(jrt_ctx, rsp) == JRT_CTX_RSP, "rsp offset");
_Static_assert(offsetof(jrt_ctx, rip) == JRT_CTX_RIP, "rip offset");
_Static_assert(offsetof(jrt_ctx, rbx) == JRT_CTX_RBX, "rbx offset");
_Static_assert(offsetof(jrt_ctx, rbp) == JRT_CTX_RBP, "rbp offset");
_Static_assert(offsetof(jrt_ctx, r12) == JRT_CTX_R12, "r12 offset");
_Static_assert(offsetof(jrt_ctx, r13) == JRT_CTX_R13, "r13 offset");
_Static_assert(offsetof(jrt_ctx, r14) == JRT_CTX_R14, "r14 offset");
_Static_assert(offsetof(jrt_ctx, r15) == JRT_CTX_R15, "r15 offset");
#ifdef JRT_SAVE_FPU
_Static_assert(offsetof(jrt_ctx, mxcsr) == JRT_CTX_MXCSR, "mxcsr offset");
_Static_assert(offsetof(jrt_ctx, fpucw) == JRT_CTX_FPUCW, "fpucw offset");
#endif
