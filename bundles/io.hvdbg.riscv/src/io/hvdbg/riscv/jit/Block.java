/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.jit;

/**
 * A compiled block at one offset of a decoded page: its code and how many instructions one
 * pass through it may retire at most (the budget the dispatcher checks before running it).
 */
public final class Block {
    /** Marks a block start whose first instruction cannot be compiled: never run, never retried. */
    public static final Block NOT_COMPILABLE = new Block(null, Integer.MAX_VALUE, 0);

    public final BlockCode code;
    /** Instructions on the longest pass (a guest time budget of at least this runs the block). */
    public final int length;
    /** Bytes of guest code the block covers from its start (one page at most). */
    public final int bytes;

    Block(BlockCode code, int length, int bytes) {
        this.code = code;
        this.length = length;
        this.bytes = bytes;
    }
}
