/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.jit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The JVM-wide, bounded cache of a block compiler's classes: generated code depends only on the
 * decoded instructions it was made from (pcs are relative to the block's start), so identical
 * blocks in other pages, vCPUs and VMs share one hidden class, which HotSpot may have compiled
 * already. When the bound is reached the cache starts over; classes stay alive while blocks use
 * them.
 *
 * @param <T> the blocks' common superclass, with a public no-argument constructor
 */
public final class BlockClassCache<T> {
    private final MethodHandles.Lookup lookup;
    private final Class<T> type;
    private final int limit;
    private final Map<Key, T> classes = new ConcurrentHashMap<>();

    /**
     * @param lookup a lookup in the package the block classes belong to (hidden classes are
     *               defined as its members)
     * @param limit  the number of classes kept
     */
    public BlockClassCache(MethodHandles.Lookup lookup, Class<T> type, int limit) {
        this.lookup = lookup;
        this.type = type;
        this.limit = limit;
    }

    /**
     * The instance of the block class for {@code key} (every decoded field the code depends on),
     * generating and defining it on a miss.
     *
     * @param where names the block in the error if the generated class is invalid (a compiler bug)
     */
    public T get(long[] key, Supplier<byte[]> generate, String where) {
        Key k = new Key(key);
        T code = classes.get(k);
        if (code == null) {
            code = define(generate.get(), where);
            if (classes.size() >= limit) {
                classes.clear();
            }
            classes.put(k, code);
        }
        return code;
    }

    private T define(byte[] bytes, String where) {
        try {
            MethodHandles.Lookup l = lookup.defineHiddenClass(bytes, true);
            return type.cast(l.findConstructor(l.lookupClass(), MethodType.methodType(void.class)).invoke());
        } catch (Throwable e) {
            throw new IllegalStateException("the block compiler produced an invalid class for " + where, e);
        }
    }

    private record Key(long[] fields) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(fields, k.fields);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(fields);
        }
    }
}
