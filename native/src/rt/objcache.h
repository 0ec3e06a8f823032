/*
 * objcache.h — fixed-size objects (task control blocks, nurseries) without malloc on the
 * hot path: each worker keeps a LIFO free list and a bump region carved from 64 KiB
 * chunks; objects freed off the workers (a client thread releasing a handle after the
 * run) go to a locked shared list. Memory is returned to the system only when the
 * runtime is destroyed, which also makes these objects type-stable for the whole run:
 * a stale pointer to a freed nursery still points at *some* nursery (see jrt_cancel).
 */
#ifndef JRT_OBJCACHE_H
#define JRT_OBJCACHE_H

#include <pthread.h>
#include <stddef.h>

#define JRT_OBJ_CHUNK (64 * 1024)

typedef struct jrt_obj_pool {   /* shared, one per object kind per runtime */
    pthread_mutex_t lock;
    void *free;                 /* objects freed by non-worker threads */
    void *chunks;               /* every chunk, for the final free */
    size_t size;                /* object size, multiple of 64 */
} jrt_obj_pool;

typedef struct jrt_obj_cache {  /* per worker, owner thread only */
    void *free;
    char *bump, *bump_end;
} jrt_obj_cache;

void jrt_obj_pool_init(jrt_obj_pool *p, size_t size);
void jrt_obj_pool_destroy(jrt_obj_pool *p);
void *jrt_obj_alloc_slow(jrt_obj_pool *p, jrt_obj_cache *c);
void jrt_obj_free_shared(jrt_obj_pool *p, void *obj);

/* NULL on OOM. Inline fast path: pop the worker's LIFO list, else bump. */
static inline void *jrt_obj_alloc(jrt_obj_pool *p, jrt_obj_cache *c)
{
    void *o = c->free;
    if (__builtin_expect(o != NULL, 1)) {
        c->free = *(void **)o;
        return o;
    }
    return jrt_obj_alloc_slow(p, c);
}

/* c NULL: the caller is not this pool's worker; goes to the locked shared list. */
static inline void jrt_obj_free(jrt_obj_pool *p, jrt_obj_cache *c, void *obj)
{
    if (__builtin_expect(c != NULL, 1)) {
        *(void **)obj = c->free;
        c->free = obj;
        return;
    }
    jrt_obj_free_shared(p, obj);
}

#endif
