/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

/**
 * One Intel 8259A programmable interrupt controller: IRR/ISR/IMR, ICW1-ICW4 initialisation,
 * OCW2 (non-specific, specific and rotating EOI, set priority), OCW3 (register select, poll,
 * special mask), auto-EOI, special fully nested mode, and edge or level inputs per the ELCR.
 * Its priority rules follow QEMU's i8259 so guests see what they see there. {@link DualPic}
 * cascades two of them.
 */
public final class Pic8259 {
    /** Edge detector: the input levels seen last. */
    private int lastIrr;
    int irr;
    int imr;
    int isr;
    private int priorityAdd;
    int vectorBase;
    private boolean readIsr;
    private boolean poll;
    private boolean specialMask;
    private int initState;
    private boolean autoEoi;
    private boolean rotateOnAutoEoi;
    private boolean specialFullyNested;
    private boolean icw4Needed;
    private boolean single;
    /** Edge/level control register: bit set = level-triggered input. */
    int elcr;
    private final int elcrMask;
    private final boolean master;
    /** Called when the INT output may have changed. */
    private final Runnable outputChanged;

    Pic8259(boolean master, int elcrMask, Runnable outputChanged) {
        this.master = master;
        this.elcrMask = elcrMask;
        this.outputChanged = outputChanged;
    }

    /** Drives input {@code irq} (0-7) to {@code level}. */
    void setInput(int irq, boolean level) {
        int mask = 1 << irq;
        if ((elcr & mask) != 0) {
            if (level) {
                irr |= mask;
                lastIrr |= mask;
            } else {
                irr &= ~mask;
                lastIrr &= ~mask;
            }
        } else if (level) {
            if ((lastIrr & mask) == 0) {
                irr |= mask; // rising edge
            }
            lastIrr |= mask;
        } else {
            lastIrr &= ~mask;
        }
        outputChanged.run();
    }

    private int priority(int mask) {
        if (mask == 0) {
            return 8;
        }
        int p = 0;
        while ((mask & (1 << ((p + priorityAdd) & 7))) == 0) {
            p++;
        }
        return p;
    }

    /** The input that would be serviced now, or -1: the INT output is asserted when this is >= 0. */
    int highestRequest() {
        int p = priority(irr & ~imr);
        if (p == 8) {
            return -1;
        }
        int inService = isr;
        if (specialMask) {
            inService &= ~imr;
        }
        if (specialFullyNested && master) {
            inService &= ~(1 << 2); // the slave may interrupt its own in-service request
        }
        return p < priority(inService) ? (p + priorityAdd) & 7 : -1;
    }

    /** The INTA cycle for input {@code irq}: IRR to ISR (unless auto-EOI), edge requests cleared. */
    void acknowledge(int irq) {
        if (autoEoi) {
            if (rotateOnAutoEoi) {
                priorityAdd = (irq + 1) & 7;
            }
        } else {
            isr |= 1 << irq;
        }
        if ((elcr & (1 << irq)) == 0) {
            irr &= ~(1 << irq);
        }
        outputChanged.run();
    }

    private void initialise() {
        lastIrr = 0;
        irr &= elcr;
        imr = 0;
        isr = 0;
        priorityAdd = 0;
        vectorBase = 0;
        readIsr = false;
        poll = false;
        specialMask = false;
        initState = 0;
        autoEoi = false;
        rotateOnAutoEoi = false;
        specialFullyNested = false;
        icw4Needed = false;
        single = false;
    }

    /** A write to the command port (0x20/0xA0) or the data port (0x21/0xA1). */
    void write(boolean dataPort, int value) {
        int v = value & 0xFF;
        if (!dataPort) {
            if ((v & 0x10) != 0) { // ICW1
                initialise();
                initState = 1;
                icw4Needed = (v & 1) != 0;
                single = (v & 2) != 0;
            } else if ((v & 0x08) != 0) { // OCW3
                if ((v & 0x04) != 0) {
                    poll = true;
                }
                if ((v & 0x02) != 0) {
                    readIsr = (v & 1) != 0;
                }
                if ((v & 0x40) != 0) {
                    specialMask = (v & 0x20) != 0;
                }
            } else { // OCW2
                ocw2(v);
            }
            outputChanged.run();
            return;
        }
        switch (initState) {
            case 0 -> imr = v; // OCW1
            case 1 -> {
                vectorBase = v & 0xF8;
                initState = single ? (icw4Needed ? 3 : 0) : 2;
            }
            case 2 -> initState = icw4Needed ? 3 : 0; // ICW3: the cascade wiring is fixed
            default -> {
                specialFullyNested = (v & 0x10) != 0;
                autoEoi = (v & 0x02) != 0;
                initState = 0;
            }
        }
        outputChanged.run();
    }

    private void ocw2(int v) {
        int command = v >> 5;
        switch (command) {
            case 0, 4 -> rotateOnAutoEoi = command == 4;
            case 1, 5 -> { // non-specific EOI (and rotate)
                int p = priority(isr);
                if (p != 8) {
                    int irq = (p + priorityAdd) & 7;
                    isr &= ~(1 << irq);
                    if (command == 5) {
                        priorityAdd = (irq + 1) & 7;
                    }
                }
            }
            case 3 -> isr &= ~(1 << (v & 7)); // specific EOI
            case 6 -> priorityAdd = (v + 1) & 7; // set priority
            case 7 -> { // rotate on specific EOI
                isr &= ~(1 << (v & 7));
                priorityAdd = ((v & 7) + 1) & 7;
            }
            default -> { } // 2: no operation
        }
    }

    /** True if the next read of the command port is a poll (OCW3 poll command pending). */
    boolean pollPending() {
        return poll;
    }

    /** Poll-mode read: acknowledges the highest request and returns 0x80 | its number, or 0. */
    int pollRead() {
        poll = false;
        int irq = highestRequest();
        if (irq < 0) {
            return 0;
        }
        acknowledge(irq);
        return 0x80 | irq;
    }

    /** A read of the command port (IRR or ISR per OCW3) or the data port (IMR). */
    int read(boolean dataPort) {
        if (dataPort) {
            return imr;
        }
        return readIsr ? isr : irr;
    }

    void writeElcr(int value) {
        elcr = value & elcrMask;
    }
}
