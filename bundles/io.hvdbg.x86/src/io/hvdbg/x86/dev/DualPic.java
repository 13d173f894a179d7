/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

import io.hvdbg.core.memory.PioHandler;

/**
 * The PC's cascaded 8259A pair: master at 0x20/0x21 with the slave's INT on its input 2, slave
 * at 0xA0/0xA1, and the ELCR edge/level registers at 0x4D0/0x4D1 (IRQ 0-2 and 8, 13 are always
 * edge). The master's INT output drives the CPU's INTR (LINT0 in ExtINT mode); the INTA cycle,
 * {@link #acknowledge()}, gives the vector, or the spurious IRQ 7 / IRQ 15 vector when the
 * request went away before it. Registered for the two controller ports ranges and the ELCR.
 */
public final class DualPic implements PioHandler {
    public static final int MASTER = 0x20;
    public static final int SLAVE = 0xA0;
    public static final int ELCR = 0x4D0;

    /** The master's INT output, seen by the CPU. */
    @FunctionalInterface
    public interface Output {
        void set(boolean level);
    }

    private final Pic8259 master;
    private final Pic8259 slave;
    private Output output = level -> { };
    private boolean outputLevel;
    private boolean updating;

    public DualPic() {
        master = new Pic8259(true, 0xF8, this::update);
        slave = new Pic8259(false, 0xDE, this::update);
    }

    public void setOutput(Output output) {
        this.output = output;
    }

    /**
     * The state SeaBIOS leaves before it starts a -kernel image under QEMU: vectors 0x08 and 0x70,
     * everything masked except the timer (IRQ 0) and the cascade (IRQ 2). Guests for QEMU mask
     * the 8259s first (kvm-unit-tests' mask_pic_interrupts) because of this.
     */
    public void firmwareSetup() {
        master.write(false, 0x11);
        master.write(true, 0x08);
        master.write(true, 0x04);
        master.write(true, 0x01);
        master.write(true, 0xFA);
        slave.write(false, 0x11);
        slave.write(true, 0x70);
        slave.write(true, 0x02);
        slave.write(true, 0x01);
        slave.write(true, 0xFF);
    }

    /** Drives ISA IRQ line {@code irq} (0-15). */
    public void setIrq(int irq, boolean level) {
        if (irq < 8) {
            master.setInput(irq, level);
        } else {
            slave.setInput(irq - 8, level);
        }
    }

    /** True if the master would pass ISA IRQ {@code irq} on (not masked at either controller). */
    public boolean unmasked(int irq) {
        if (irq < 8) {
            return (master.imr & (1 << irq)) == 0;
        }
        return (master.imr & (1 << 2)) == 0 && (slave.imr & (1 << (irq - 8))) == 0;
    }

    private void update() {
        if (updating) {
            return;
        }
        updating = true;
        try {
            master.setInput(2, slave.highestRequest() >= 0);
            boolean level = master.highestRequest() >= 0;
            if (level != outputLevel) {
                outputLevel = level;
                output.set(level);
            }
        } finally {
            updating = false;
        }
    }

    /** The INTA cycle: the vector of the highest request, acknowledged at both controllers as needed. */
    public int acknowledge() {
        int irq = master.highestRequest();
        int vector;
        if (irq < 0) {
            vector = master.vectorBase + 7; // spurious: the request went away (ISR untouched)
        } else if (irq == 2) {
            int slaveIrq = slave.highestRequest();
            if (slaveIrq >= 0) {
                slave.acknowledge(slaveIrq);
                vector = slave.vectorBase + slaveIrq;
            } else {
                vector = slave.vectorBase + 7; // spurious at the slave: the master's IRQ 2 stays in service
            }
            master.acknowledge(2);
        } else {
            vector = master.vectorBase + irq;
            master.acknowledge(irq);
        }
        update();
        return vector;
    }

    /** Whether the master's INT output is asserted. */
    public boolean output() {
        return outputLevel;
    }

    @Override
    public int in(int port, int size) {
        if (port == ELCR || port == ELCR + 1) {
            return (port == ELCR ? master : slave).elcr;
        }
        Pic8259 pic = (port & 0x80) != 0 ? slave : master;
        if (pic.pollPending()) {
            int r;
            if (pic == master && master.highestRequest() == 2) {
                r = slave.pollRead();
                master.acknowledge(2);
            } else {
                r = pic.pollRead();
            }
            update();
            return r;
        }
        return pic.read((port & 1) != 0);
    }

    @Override
    public void out(int port, int size, int value) {
        if (port == ELCR || port == ELCR + 1) {
            (port == ELCR ? master : slave).writeElcr(value);
            update();
            return;
        }
        Pic8259 pic = (port & 0x80) != 0 ? slave : master;
        pic.write((port & 1) != 0, value);
    }

    /** IRR, ISR and IMR of the master (bits 0-7) and slave (bits 8-15), for inspection and tests. */
    public int irr() {
        return master.irr | slave.irr << 8;
    }

    public int isr() {
        return master.isr | slave.isr << 8;
    }

    public int imr() {
        return master.imr | slave.imr << 8;
    }
}
