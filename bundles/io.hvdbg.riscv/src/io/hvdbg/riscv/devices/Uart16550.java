/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.devices;

import java.util.function.IntConsumer;

import io.hvdbg.core.GuestConsole;
import io.hvdbg.core.memory.MmioHandler;

/**
 * An ns16550a UART with byte-wide registers: transmit goes to the {@link GuestConsole} at once
 * (the transmitter is always empty), receive reads the console's input queue; the receive and
 * transmitter-empty interrupts drive one PLIC source.
 */
public final class Uart16550 implements MmioHandler {
    public static final long SIZE = 0x100;
    private static final int LSR_DR = 0x01;
    private static final int LSR_THRE = 0x20;
    private static final int LSR_TEMT = 0x40;

    private final GuestConsole console;
    private final IntConsumer irqLine;
    private int ier;
    private int lcr;
    private int mcr;
    private int scr;
    private int dll = 1;
    private int dlm;
    private boolean thrEmptyPending;
    private int rx = -1;
    private boolean irq;
    private long bytesWritten;

    /** @param irqLine receives 1/0 when the interrupt output rises/falls */
    public Uart16550(GuestConsole console, IntConsumer irqLine) {
        this.console = console;
        this.irqLine = irqLine;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    private boolean rxReady() {
        if (rx < 0) {
            rx = console.pollInput();
        }
        return rx >= 0;
    }

    /** Looks at host input (the VM calls this each round and when kicked). */
    public synchronized void poll() {
        updateIrq();
    }

    private void updateIrq() {
        boolean on = ((ier & 1) != 0 && rxReady()) || ((ier & 2) != 0 && thrEmptyPending);
        if (on != irq) {
            irq = on;
            irqLine.accept(on ? 1 : 0);
        }
    }

    @Override
    public synchronized long read(long offset, int size) {
        boolean dlab = (lcr & 0x80) != 0;
        long v = switch ((int) offset) {
            case 0 -> {
                if (dlab) {
                    yield dll;
                }
                int b = rxReady() ? rx : 0;
                rx = -1;
                yield b;
            }
            case 1 -> dlab ? dlm : ier;
            case 2 -> {
                int id;
                if ((ier & 1) != 0 && rxReady()) {
                    id = 0x04;
                } else if ((ier & 2) != 0 && thrEmptyPending) {
                    id = 0x02;
                    thrEmptyPending = false;
                } else {
                    id = 0x01;
                }
                yield 0xC0 | id;
            }
            case 3 -> lcr;
            case 4 -> mcr;
            case 5 -> LSR_THRE | LSR_TEMT | (rxReady() ? LSR_DR : 0);
            case 6 -> 0xB0; // DCD, DSR, CTS
            case 7 -> scr;
            default -> 0;
        };
        updateIrq();
        return v;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        int b = (int) value & 0xFF;
        boolean dlab = (lcr & 0x80) != 0;
        switch ((int) offset) {
            case 0 -> {
                if (dlab) {
                    dll = b;
                } else {
                    console.write(b);
                    bytesWritten++;
                    thrEmptyPending = true;
                }
            }
            case 1 -> {
                if (dlab) {
                    dlm = b;
                } else {
                    if ((b & 2) != 0 && (ier & 2) == 0) {
                        thrEmptyPending = true;
                    }
                    ier = b & 0x0F;
                }
            }
            case 3 -> lcr = b;
            case 4 -> mcr = b;
            case 7 -> scr = b;
            default -> { }
        }
        updateIrq();
    }
}
