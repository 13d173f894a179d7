/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core;

/** Run-control notifications, delivered on the VM thread; keep them short. */
public interface VmListener {
    /** The VM stopped (all vCPUs); for SHUTDOWN it is also terminated. */
    default void stopped(StopEvent event) {
    }

    /** The VM resumed running (continue or step). */
    default void resumed() {
    }
}
