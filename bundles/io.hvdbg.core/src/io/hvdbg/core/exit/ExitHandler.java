/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

import io.hvdbg.core.Vcpu;

/**
 * Handles one exit reason, as KVM's {@code kvm_vmx_exit_handlers[]} / {@code svm_exit_handlers[]}
 * entries do. A handler completes the exiting instruction (emulates it, advances the PC by
 * {@link ExitInfo#instructionLength}) or injects what the guest must see.
 *
 * @param <V> the architecture's vCPU type
 */
@FunctionalInterface
public interface ExitHandler<V extends Vcpu> {
    /** Re-enter the guest. */
    int RESUME = 1;
    /** Return to the VMM's caller: the VM stops (shutdown, fatal condition). */
    int EXIT_TO_USER = 0;

    /** Handles the exit described by {@code exit}; returns {@link #RESUME} or {@link #EXIT_TO_USER}. */
    int handle(V vcpu, ExitInfo exit);
}
