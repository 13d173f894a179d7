/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.jit;

/** A compiled block and its length. */
public final class Block {
    /** Marks a block start whose first instruction cannot be compiled: never run, never retried. */
    public static final Block NOT_COMPILABLE = new Block(null, Integer.MAX_VALUE);

    public final BlockCode code;
    /** Instructions on the longest pass (a limit of at least this runs the block). */
    public final int length;

    Block(BlockCode code, int length) {
        this.code = code;
        this.length = length;
    }
}
