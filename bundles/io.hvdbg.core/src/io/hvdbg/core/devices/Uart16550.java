/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.devices;

import java.util.function.IntConsumer;

import io.hvdbg.core.GuestConsole;
import io.hvdbg.core.memory.MmioHandler;
import io.hvdbg.core.memory.PioHandler;

/**
 * A 16550A UART with byte-wide registers, shared by both machines: the RISC-V "virt" board maps
 * it as MMIO at 0x10000000, the x86 "pc" board as COM1 ports at 0x3F8 ({@link #asPorts}).
 * Transmit goes to the {@link GuestConsole} at once (the transmitter is always empty), receive
 * reads the console's input queue; the receive-data and transmitter-empty interrupts drive one
 * interrupt line (PLIC source or ISA IRQ4).
 */
public final class Uart16550 implements MmioHandler {
    /** Size of the register window in MMIO space. */
    public static final long SIZE = 0x100;
    /** x86 COM1 base port. */
    public static final int COM1 = 0x3F8;
    private static final int LSR_DR = 0x01;
    private static final int LSR_THRE = 0x20;
    private static final int LSR_TEMT = 0x40;
    private static final int IER_RDA = 0x01;
    private static final int IER_THRE = 0x02;

    private final GuestConsole console;
    private final IntConsumer irqLine;
    private int ier;
    private int lcr;
    private int mcr;
    private int fcr;
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

    /** A UART whose interrupt output is not wired (polled consoles). */
    public Uart16550(GuestConsole console) {
        this(console, level -> { });
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    /** The same registers as eight I/O ports from {@code base} (x86 COM ports). */
    public PioHandler asPorts(int base) {
        return new PioHandler() {
            @Override
            public int in(int port, int size) {
                return (int) read(port - base, size);
            }

            @Override
            public void out(int port, int size, int value) {
                write(port - base, size, value);
            }
        };
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
        boolean on = ((ier & IER_RDA) != 0 && rxReady()) || ((ier & IER_THRE) != 0 && thrEmptyPending);
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
                if ((ier & IER_RDA) != 0 && rxReady()) {
                    id = 0x04;
                } else if ((ier & IER_THRE) != 0 && thrEmptyPending) {
                    id = 0x02;
                    thrEmptyPending = false; // reading IIR clears a THRE interrupt (16550 data sheet)
                } else {
                    id = 0x01;
                }
                // FIFO-enabled bits as a 16550A shows them; drivers probe the chip type by them.
                yield ((fcr & 1) != 0 ? 0xC0 : 0) | id;
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
                    if ((b & IER_THRE) != 0 && (ier & IER_THRE) == 0) {
                        thrEmptyPending = true;
                    }
                    ier = b & 0x0F;
                }
            }
            case 2 -> fcr = b & 0xC9; // enable, DMA mode, trigger level; the reset bits self-clear
            case 3 -> lcr = b;
            case 4 -> mcr = b & 0x1F;
            case 7 -> scr = b;
            default -> { }
        }
        updateIrq();
    }
}
