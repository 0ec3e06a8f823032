/* test_deque.c — the Chase-Lev ring: owner LIFO, thief FIFO, one winner for the last
 * element, and a multi-thread stress where every item is taken exactly once. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "deque.h"
#include "harness.h"

#define ITEMS 200000
#define THIEVES 3

static jrt_deque dq;
static atomic_int taken[ITEMS + 1];
static atomic_int done_pushing;
static atomic_long stolen_total;

static void *thief(void *p)
{
    (void)p;
    long mine = 0;
    for (;;) {
        bool lost = false;
        void *x = jrt_deque_steal(&dq, &lost);
        if (x) { atomic_fetch_add(&taken[(intptr_t)x], 1); mine++; continue; }
        if (atomic_load(&done_pushing) && jrt_deque_size(&dq) == 0 && !lost) break;
    }
    atomic_fetch_add(&stolen_total, mine);
    return NULL;
}

static atomic_int race_wins;
static void *race_thief(void *p)
{
    bool lost = false;
    if (jrt_deque_steal((jrt_deque *)p, &lost)) atomic_fetch_add(&race_wins, 1);
    return NULL;
}

int main(void)
{
    jrt_deque_init(&dq);
    for (intptr_t i = 1; i <= 5; i++) jrt_deque_push(&dq, (void *)i);
    CHECK((intptr_t)jrt_deque_pop(&dq) == 5, "owner pops the newest (LIFO)");
    bool lost = false;
    CHECK((intptr_t)jrt_deque_steal(&dq, &lost) == 1, "thief takes the oldest (FIFO)");
    CHECK((intptr_t)jrt_deque_steal(&dq, &lost) == 2, "thief takes the next oldest");
    CHECK((intptr_t)jrt_deque_pop(&dq) == 4, "owner still pops from its end");
    CHECK((intptr_t)jrt_deque_pop(&dq) == 3, "last element to the owner");
    CHECK(jrt_deque_pop(&dq) == NULL && jrt_deque_steal(&dq, &lost) == NULL, "empty");

    int full = 0;
    for (intptr_t i = 1; i <= JRT_DEQUE_CAP + 1; i++) full += !jrt_deque_push(&dq, (void *)i);
    CHECK(full == 1, "push reports full at capacity %d", JRT_DEQUE_CAP);
    while (jrt_deque_pop(&dq)) {}

    /* Single winner on the last element: owner pop vs thieves, many times. */
    int bad = 0;
    for (int round = 0; round < 20000; round++) {
        static jrt_deque d1;
        jrt_deque_init(&d1);
        jrt_deque_push(&d1, (void *)1);
        atomic_store(&race_wins, 0);
        pthread_t th[2];
        for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, race_thief, &d1);
        int owner = jrt_deque_pop(&d1) != NULL;
        for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
        if (owner + atomic_load(&race_wins) != 1) bad++;
        if (round == 2000) break;  /* thread creation dominates: 2000 rounds is plenty */
    }
    CHECK(bad == 0, "exactly one winner for the last element (%d bad rounds)", bad);

    /* Stress: owner pushes and pops, three thieves steal; each item exactly once. */
    jrt_deque_init(&dq);
    pthread_t th[THIEVES];
    for (int i = 0; i < THIEVES; i++) pthread_create(&th[i], NULL, thief, NULL);
    usleep(1000);
    long popped = 0;
    for (intptr_t i = 1; i <= ITEMS; i++) {
        while (!jrt_deque_push(&dq, (void *)i)) {
            void *x = jrt_deque_pop(&dq);
            if (x) { atomic_fetch_add(&taken[(intptr_t)x], 1); popped++; }
        }
        for (int spin = 0; spin < 40; spin++) __builtin_ia32_pause();  /* let thieves in */
        if (i % 3 == 0) {
            void *x = jrt_deque_pop(&dq);
            if (x) { atomic_fetch_add(&taken[(intptr_t)x], 1); popped++; }
        }
    }
    void *x;
    while ((x = jrt_deque_pop(&dq))) { atomic_fetch_add(&taken[(intptr_t)x], 1); popped++; }
    atomic_store(&done_pushing, 1);
    for (int i = 0; i < THIEVES; i++) pthread_join(th[i], NULL);
    int dup = 0, miss = 0;
    for (int i = 1; i <= ITEMS; i++) {
        int n = atomic_load(&taken[i]);
        dup += n > 1;
        miss += n == 0;
    }
    CHECK(dup == 0 && miss == 0, "stress: %d items, owner %ld, thieves %ld, 0 lost, 0 twice "
          "(got %d lost, %d twice)", ITEMS, popped, atomic_load(&stolen_total), miss, dup);
    CHECK(atomic_load(&stolen_total) > 0, "thieves did steal");
    return 0;
}
