/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.memory;

/** A device's I/O ports (x86 port space). Sizes are 1, 2 or 4. */
public interface PioHandler {
    int in(int port, int size);

    void out(int port, int size, int value);
}
