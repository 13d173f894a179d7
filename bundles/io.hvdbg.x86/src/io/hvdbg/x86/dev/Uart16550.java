/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

import io.hvdbg.core.GuestConsole;
import io.hvdbg.core.memory.PioHandler;

/**
 * A 16550A UART at 0x3F8 (COM1) as QEMU models it closely enough for polled consoles: THR to
 * the {@link GuestConsole}, RBR from its input queue, LSR always "transmitter empty", divisor
 * latch, IER/IIR/FCR/LCR/MCR/SCR registers kept as written.
 */
public final class Uart16550 implements PioHandler {
    public static final int COM1 = 0x3F8;

    private final GuestConsole console;
    private final int base;
    private int ier;
    private int lcr;
    private int mcr;
    private int scr;
    private int dll = 1;
    private int dlm;
    private int fcr;

    public Uart16550(GuestConsole console, int base) {
        this.console = console;
        this.base = base;
    }

    private boolean dlab() {
        return (lcr & 0x80) != 0;
    }

    @Override
    public int in(int port, int size) {
        return switch (port - base) {
            case 0 -> dlab() ? dll : Math.max(console.pollInput(), 0);
            case 1 -> dlab() ? dlm : ier;
            case 2 -> (fcr & 1) != 0 ? 0xC1 : 0x01; // no interrupt pending
            case 3 -> lcr;
            case 4 -> mcr;
            case 5 -> 0x60 | (console.hasInput() ? 1 : 0); // THRE | TEMT | DR
            case 6 -> 0xB0; // DCD, DSR, CTS
            default -> scr;
        };
    }

    @Override
    public void out(int port, int size, int value) {
        int v = value & 0xFF;
        switch (port - base) {
            case 0 -> {
                if (dlab()) {
                    dll = v;
                } else {
                    console.write(v);
                }
            }
            case 1 -> {
                if (dlab()) {
                    dlm = v;
                } else {
                    ier = v & 0x0F;
                }
            }
            case 2 -> fcr = v;
            case 3 -> lcr = v;
            case 4 -> mcr = v & 0x1F;
            case 7 -> scr = v;
            default -> { }
        }
    }
}
