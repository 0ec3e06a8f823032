/*
 * objcache.c — see objcache.h.
 */
#include "objcache.h"

#include <stdlib.h>

#include "sync.h"

void jrt_obj_pool_init(jrt_obj_pool *p, size_t size)
{
    pthread_mutex_init(&p->lock, NULL);
    p->free = NULL;
    p->chunks = NULL;
    p->size = (size + 63) & ~(size_t)63;
}

void jrt_obj_pool_destroy(jrt_obj_pool *p)
{
    void *c = p->chunks;
    while (c) {
        void *next = *(void **)c;
        free(c);
        c = next;
    }
    p->chunks = NULL;
    pthread_mutex_destroy(&p->lock);
}

static JRT_NOINLINE void *refill(jrt_obj_pool *p, jrt_obj_cache *c)
{
    pthread_mutex_lock(&p->lock);
    if (p->free) {  /* adopt the whole shared list */
        c->free = p->free;
        p->free = NULL;
        pthread_mutex_unlock(&p->lock);
        void *o = c->free;
        c->free = *(void **)o;
        return o;
    }
    char *chunk = aligned_alloc(64, JRT_OBJ_CHUNK);
    if (!chunk) { pthread_mutex_unlock(&p->lock); return NULL; }
    *(void **)chunk = p->chunks;  /* first cache line links the chunk list */
    p->chunks = chunk;
    pthread_mutex_unlock(&p->lock);
    c->bump = chunk + 64;
    c->bump_end = chunk + JRT_OBJ_CHUNK;
    void *o = c->bump;
    c->bump += p->size;
    return o;
}

void *jrt_obj_alloc_slow(jrt_obj_pool *p, jrt_obj_cache *c)
{
    /* compare the space left, not bump + size: an empty cache has bump == NULL, and
     * NULL + size is undefined (UBSan's pointer-overflow check) */
    if (c->bump != NULL && (size_t)(c->bump_end - c->bump) >= p->size) {
        void *o = c->bump;
        c->bump += p->size;
        return o;
    }
    return refill(p, c);
}

void jrt_obj_free_shared(jrt_obj_pool *p, void *obj)
{
    pthread_mutex_lock(&p->lock);
    *(void **)obj = p->free;
    p->free = obj;
    pthread_mutex_unlock(&p->lock);
}
