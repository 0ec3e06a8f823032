/* test_guard.c — a fiber that overflows its stack hits the guard page, and the run ends
 * with a message naming the task (checked in a child process). Also: the canary. */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

static __attribute__((noinline)) int recurse(int depth)
{
    volatile char pad[256];
    pad[0] = (char)depth;
    if (depth > 1000000) return pad[0];
    return recurse(depth + 1) + pad[0];
}

static jrt_outcome deep(void *arg)
{
    (void)arg;
    return ok_value((uint64_t)recurse(0));
}

static jrt_outcome main_spawn_deep(void *arg)
{
    (void)arg;
    jrt_task *h;
    jrt_spawn(NULL, deep, NULL, 7, &h);
    jrt_await(h, NULL);
    jrt_task_release(h);
    return ok_value(0);
}

static const char *name_of(uint32_t id) { return id == 7 ? "deep" : "main"; }

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0) return 1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        jrt_config c = test_config(2, 0, 1);
        c.events = 0;
        jrt_runtime *rt = jrt_create(&c);
        jrt_set_func_names(rt, name_of);
        jrt_run(rt, main_spawn_deep, NULL, 0, NULL);
        _exit(0);  /* must not get here */
    }
    close(fds[1]);
    char buf[1024] = { 0 };
    size_t len = 0;
    ssize_t n;
    while (len < sizeof buf - 1 && (n = read(fds[0], buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)n;
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == 0), "the overflowing run does not finish normally");
    /* live mode: the child's id depends on which worker's id block it came from */
    CHECK(strstr(buf, "stack overflow in task deep#") != NULL,
          "message names the task: %s", buf);
    return 0;
}
