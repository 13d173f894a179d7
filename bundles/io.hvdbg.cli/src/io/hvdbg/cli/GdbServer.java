/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

/** A running GDB remote stub; closing it stops serving (the VM itself is not terminated). */
public interface GdbServer extends AutoCloseable {
    /** The address the stub listens on (with the actual port when 0 was asked for). */
    GdbEndpoint endpoint();

    @Override
    void close();
}
