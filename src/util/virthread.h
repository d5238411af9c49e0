/* virthread.h: glib mutex and condition calls that ThreadSanitizer can follow. */
#pragma once

#include <glib.h>

/*
 * glib's GMutex and GCond are futex-based on Linux, which ThreadSanitizer does not
 * see: to it, data guarded by a GMutex would look unguarded. These wrappers tell it
 * about each lock hand-over (and cost nothing in other builds); VIR_TSAN_RELEASE /
 * VIR_TSAN_ACQUIRE mark the other hand-overs glib does out of its sight (a job
 * pushed to a GThreadPool, a GSource dispatched on another thread's loop).
 * Use these instead of g_mutex_lock() & co. everywhere in src/.
 */

#if defined(__SANITIZE_THREAD__)
# define VIR_TSAN 1
#elif defined(__has_feature)
# if __has_feature(thread_sanitizer)
#  define VIR_TSAN 1
# endif
#endif

#ifdef VIR_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
/* Everything this thread did before VIR_TSAN_RELEASE(addr) happens before what
 * another thread does after its next VIR_TSAN_ACQUIRE(addr). */
# define VIR_TSAN_RELEASE(addr) __tsan_release((void *)(addr))
# define VIR_TSAN_ACQUIRE(addr) __tsan_acquire((void *)(addr))
#else
# define VIR_TSAN_RELEASE(addr) do { } while (0)
# define VIR_TSAN_ACQUIRE(addr) do { } while (0)
#endif

static inline void
virMutexLock(GMutex *mutex)
{
    g_mutex_lock(mutex);
    VIR_TSAN_ACQUIRE(mutex);
}

static inline void
virMutexUnlock(GMutex *mutex)
{
    VIR_TSAN_RELEASE(mutex);
    g_mutex_unlock(mutex);
}

/* g_cond_wait(): the mutex is let go while waiting. */
static inline void
virCondWait(GCond *cond, GMutex *mutex)
{
    VIR_TSAN_RELEASE(mutex);
    g_cond_wait(cond, mutex);
    VIR_TSAN_ACQUIRE(mutex);
}

/* g_cond_wait_until(): false when the monotonic @endTime passed. */
static inline gboolean
virCondWaitUntil(GCond *cond, GMutex *mutex, gint64 endTime)
{
    gboolean signalled;

    VIR_TSAN_RELEASE(mutex);
    signalled = g_cond_wait_until(cond, mutex, endTime);
    VIR_TSAN_ACQUIRE(mutex);
    return signalled;
}
