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

    /* take_oldest (the owner's spill): the k oldest, oldest first, one CAS. */
    {
        void *out[JRT_DEQUE_CAP];
        jrt_deque_init(&dq);
        CHECK(jrt_deque_take_oldest(&dq, out, 4) == 0, "take_oldest on an empty deque: 0");
        for (intptr_t i = 1; i <= 10; i++) jrt_deque_push(&dq, (void *)i);
        int64_t n = jrt_deque_take_oldest(&dq, out, 4);
        CHECK(n == 4 && (intptr_t)out[0] == 1 && (intptr_t)out[1] == 2 && (intptr_t)out[2] == 3 &&
              (intptr_t)out[3] == 4, "take_oldest(4) takes 1..4, oldest first (n=%lld)", (long long)n);
        CHECK(jrt_deque_size(&dq) == 6, "six left after take_oldest");
        CHECK((intptr_t)jrt_deque_pop(&dq) == 10, "owner end untouched by take_oldest");
        CHECK((intptr_t)jrt_deque_steal(&dq, &lost) == 5, "thief end starts after the taken ones");
        n = jrt_deque_take_oldest(&dq, out, 100);
        CHECK(n == 4 && (intptr_t)out[0] == 6 && (intptr_t)out[3] == 9,
              "take_oldest(k > size) takes what is there (n=%lld)", (long long)n);
        CHECK(jrt_deque_pop(&dq) == NULL && jrt_deque_take_oldest(&dq, out, 1) == 0,
              "empty after taking everything");
        /* Across the ring's wrap-around: indices keep growing, slots are reused. */
        int ok = 1;
        intptr_t next_in = 1, next_out = 1;
        for (int round = 0; round < 5; round++) {
            while (jrt_deque_push(&dq, (void *)next_in)) next_in++;
            n = jrt_deque_take_oldest(&dq, out, JRT_DEQUE_CAP / 2 + 3);
            ok &= n == JRT_DEQUE_CAP / 2 + 3;
            for (int64_t i = 0; i < n; i++) ok &= (intptr_t)out[i] == next_out++;
        }
        while ((n = jrt_deque_take_oldest(&dq, out, 7)) > 0)
            for (int64_t i = 0; i < n; i++) ok &= (intptr_t)out[i] == next_out++;
        CHECK(ok && next_out == next_in, "take_oldest across wrap-around: FIFO, nothing lost "
              "(%ld in, %ld out)", (long)(next_in - 1), (long)(next_out - 1));
    }

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

    /* Stress, spill style: the owner pushes; when full it takes the older half with
     * take_oldest while thieves keep stealing from the same end. Each item once. */
    memset(taken, 0, sizeof taken);
    atomic_store(&done_pushing, 0);
    atomic_store(&stolen_total, 0);
    jrt_deque_init(&dq);
    for (int i = 0; i < THIEVES; i++) pthread_create(&th[i], NULL, thief, NULL);
    usleep(1000);
    long spilled = 0;
    popped = 0;
    for (intptr_t i = 1; i <= ITEMS; i++) {
        while (!jrt_deque_push(&dq, (void *)i)) {
            void *out[JRT_DEQUE_CAP / 2];
            int64_t n = jrt_deque_take_oldest(&dq, out, JRT_DEQUE_CAP / 2);
            for (int64_t k = 0; k < n; k++) atomic_fetch_add(&taken[(intptr_t)out[k]], 1);
            spilled += n;
        }
        for (int spin = 0; spin < 20; spin++) __builtin_ia32_pause();  /* let thieves in */
        if (i % 5 == 0) {
            void *y = jrt_deque_pop(&dq);
            if (y) { atomic_fetch_add(&taken[(intptr_t)y], 1); popped++; }
        }
    }
    while ((x = jrt_deque_pop(&dq))) { atomic_fetch_add(&taken[(intptr_t)x], 1); popped++; }
    atomic_store(&done_pushing, 1);
    for (int i = 0; i < THIEVES; i++) pthread_join(th[i], NULL);
    dup = miss = 0;
    for (int i = 1; i <= ITEMS; i++) {
        int n = atomic_load(&taken[i]);
        dup += n > 1;
        miss += n == 0;
    }
    CHECK(dup == 0 && miss == 0, "take_oldest stress: owner %ld + spilled %ld + thieves %ld, "
          "%d lost, %d twice", popped, spilled, atomic_load(&stolen_total), miss, dup);
    return 0;
}
