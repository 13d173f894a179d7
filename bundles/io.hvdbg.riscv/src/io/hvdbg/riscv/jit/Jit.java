/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.jit;

import io.hvdbg.riscv.cpu.DecodedPage;
import io.hvdbg.riscv.cpu.Decoder;

/**
 * Finds hot block starts and compiles them. The interpreter's dispatcher calls {@link #arrive}
 * each time execution reaches a block start that has no block yet (a jump target, or where a
 * block or interpreted run ended); after {@link #THRESHOLD} arrivals the block is compiled and
 * kept in the decoded page, which drops it with the page's decoded code when the code changes.
 */
public final class Jit {
    /** Arrivals at a block start before it is compiled. */
    public static final int THRESHOLD = 32;

    private final BlockCompiler compiler;

    public Jit(Decoder decoder) {
        this.compiler = new BlockCompiler(decoder);
    }

    /** Counts an arrival at the 2-byte slot of a page; returns the block once it is compiled, else null. */
    public Block arrive(DecodedPage page, int slot) {
        byte[] heat = page.heat;
        if (heat == null) {
            heat = page.heat = new byte[DecodedPage.SLOTS];
        }
        if (++heat[slot] < THRESHOLD) {
            return null;
        }
        Block[] blocks = page.blocks;
        if (blocks == null) {
            blocks = page.blocks = new Block[DecodedPage.SLOTS];
        }
        Block b = compiler.compile(page, slot << 1);
        blocks[slot] = b;
        return b;
    }

    /** Blocks compiled so far (for tests and statistics). */
    public int compiledBlocks() {
        return compiler.compiledCount();
    }
}
