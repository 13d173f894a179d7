/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

import java.util.Arrays;

import io.hvdbg.core.Vcpu;

/**
 * Exit dispatch: one handler per exit reason in an array indexed by the reason's registry id,
 * like KVM's handler tables - never an if-chain. Reasons without a handler go to the
 * fallback, which by default reports an unexpected exit (KVM's KVM_EXIT_INTERNAL_ERROR).
 *
 * @param <V> the architecture's vCPU type
 */
public final class ExitHandlerTable<V extends Vcpu> {
    private ExitHandler<V>[] handlers;
    private ExitHandler<V> fallback;

    @SuppressWarnings("unchecked")
    public ExitHandlerTable(ExitHandler<V> fallback) {
        this.handlers = new ExitHandler[16];
        this.fallback = fallback;
    }

    /** Installs the handler for a reason; returns this table for chaining. */
    public ExitHandlerTable<V> on(ExitReason reason, ExitHandler<V> handler) {
        int id = reason.id();
        if (id >= handlers.length) {
            handlers = Arrays.copyOf(handlers, Math.max(id + 1, handlers.length * 2));
        }
        handlers[id] = handler;
        return this;
    }

    public void setFallback(ExitHandler<V> fallback) {
        this.fallback = fallback;
    }

    /** The handler for a reason (the fallback if none is installed). */
    public ExitHandler<V> handlerFor(ExitReason reason) {
        int id = reason.id();
        ExitHandler<V> h = id < handlers.length ? handlers[id] : null;
        return h != null ? h : fallback;
    }

    /** True if a handler of its own is installed for the reason. */
    public boolean handles(ExitReason reason) {
        int id = reason.id();
        return id < handlers.length && handlers[id] != null;
    }

    public int dispatch(V vcpu, ExitInfo exit) {
        return handlerFor(exit.reason).handle(vcpu, exit);
    }
}
