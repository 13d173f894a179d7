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
 * block or interpreted run ended); after {@link #threshold()} arrivals the block is compiled and
 * kept in the decoded page, which drops it with the page's decoded code when the code changes.
 */
public final class Jit {
    /**
     * Default arrivals at a block start before it is compiled. Lower values compile more of
     * the cold code (Linux boot: 2,300 blocks at 32, 320 at 1000), and a fresh block runs in
     * the JVM's bytecode interpreter until HotSpot compiles it, which costs more than it saves
     * for code that runs a few hundred times.
     */
    public static final int DEFAULT_THRESHOLD = 1000;
    /** Largest threshold (arrivals are counted in a char per slot). */
    public static final int MAX_THRESHOLD = 65535;

    private final BlockCompiler compiler;
    private final int threshold;

    public Jit(Decoder decoder, int threshold) {
        if (threshold < 1 || threshold > MAX_THRESHOLD) {
            throw new IllegalArgumentException("JIT threshold " + threshold + " is not in 1.." + MAX_THRESHOLD);
        }
        this.compiler = new BlockCompiler(decoder);
        this.threshold = threshold;
    }

    public int threshold() {
        return threshold;
    }

    /** Counts an arrival at the 2-byte slot of a page; returns the block once it is compiled, else null. */
    public Block arrive(DecodedPage page, int slot) {
        char[] heat = page.heat;
        if (heat == null) {
            heat = page.heat = new char[DecodedPage.SLOTS];
        }
        if (++heat[slot] < threshold) {
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
