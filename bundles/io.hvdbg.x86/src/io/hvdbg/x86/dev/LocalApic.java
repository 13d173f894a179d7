/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

/**
 * A vCPU's local APIC (xAPIC registers at 0xFEE00000, x2APIC through MSRs 0x800-0x8FF): task
 * priority, in-service and request registers, EOI, and the timer in one-shot, periodic and
 * TSC-deadline modes. Guest time is in nanoseconds and the APIC bus runs at 1 GHz, so one timer
 * tick per divide-count nanoseconds; the TSC also counts nanoseconds. Beside the IRR it holds the
 * two other ways an interrupt reaches the CPU: a pending NMI (ICR, LINT1, IOAPIC) and the 8259's
 * INTR line through LINT0 in ExtINT mode, which QEMU's reset sets on the bootstrap processor.
 * Level-triggered vectors are marked in the TMR; their EOI is broadcast to the IOAPIC.
 */
public final class LocalApic {
    public static final long DEFAULT_BASE = 0xFEE00000L;
    private static final int LVT_MASKED = 1 << 16;

    private final int id;
    private long apicBase;
    private int tpr;
    private int svr = 0xFF;
    private final long[] irr = new long[4];
    private final long[] isr = new long[4];
    /** Trigger mode of the accepted vectors: 1 = level (EOI goes to the IOAPIC). */
    private final long[] tmr = new long[4];
    /** Some IRR bit, the ExtINT line or an NMI is pending: the interpreter tests this one field per instruction. */
    private boolean requested;
    private boolean nmiPending;
    /** The 8259's INTR output as seen on LINT0. */
    private boolean extIntLine;
    /** The INTA cycle: the 8259 pair gives the vector of the ExtINT interrupt. */
    private java.util.function.IntSupplier extIntAcknowledge = () -> 0x0F;
    private java.util.function.IntConsumer eoiBroadcast = vector -> { };
    /** Called when an interrupt may have become deliverable (wakes a halted vCPU). */
    private Runnable wakeUp = () -> { };
    private int lvtTimer = LVT_MASKED;
    private int lvtLint0 = LVT_MASKED;
    private int lvtLint1 = LVT_MASKED;
    private int lvtError = LVT_MASKED;
    private int lvtThermal = LVT_MASKED;
    private int lvtPerf = LVT_MASKED;
    private int ldr;
    private int dfr = -1;
    private int esr;
    private int icrLow;
    private int icrHigh;
    private int initialCount;
    private int divideConfig;
    private long timerStart;
    private long deadline = Long.MAX_VALUE;
    private long tscDeadline;
    private long interruptsDelivered;
    /** Sends IPIs to other vCPUs. */
    private IpiSink ipiSink = (dest, logical, vector, mode) -> { };

    /** Where inter-processor interrupts go. */
    @FunctionalInterface
    public interface IpiSink {
        /**
         * Delivery mode per the ICR: 0 fixed, 1 lowest priority, 4 NMI, 5 INIT, 6 SIPI. {@code dest}
         * is an APIC id (physical) or a logical destination; -1 means all excluding self.
         */
        void send(int dest, boolean logical, int vector, int mode);
    }

    public LocalApic(int id, boolean bootstrap) {
        this.id = id;
        this.apicBase = DEFAULT_BASE | (1 << 11) | (bootstrap ? 1 << 8 : 0);
        if (bootstrap) {
            lvtLint0 = 0x700; // ExtINT, unmasked: QEMU's reset lets the 8259 through to the BSP
        }
    }

    /**
     * What SeaBIOS leaves on the bootstrap processor before it starts a -kernel image under QEMU:
     * the APIC software-enabled, LINT0 ExtINT and LINT1 NMI, both level-triggered.
     */
    public void firmwareSetup() {
        svr |= 0x100;
        lvtLint0 = 0x8700;
        lvtLint1 = 0x8400;
    }

    /** The 8259 pair's side: the INTA cycle that gives the vector of an ExtINT interrupt. */
    public void setExtIntAcknowledge(java.util.function.IntSupplier acknowledge) {
        this.extIntAcknowledge = acknowledge;
    }

    /** The IOAPIC's side: EOI of a level-triggered vector. */
    public void setEoiBroadcast(java.util.function.IntConsumer broadcast) {
        this.eoiBroadcast = broadcast;
    }

    public void setWakeUp(Runnable wakeUp) {
        this.wakeUp = wakeUp;
    }

    public void setIpiSink(IpiSink sink) {
        this.ipiSink = sink;
    }

    public int id() {
        return id;
    }

    public long apicBaseMsr() {
        return apicBase;
    }

    public void setApicBaseMsr(long v) {
        apicBase = v & 0xFFFF_F000L | (v & ((1 << 11) | (1 << 10) | (1 << 8)));
    }

    public boolean x2apic() {
        return (apicBase & (1 << 10)) != 0;
    }

    private boolean softwareEnabled() {
        return (svr & 0x100) != 0;
    }

    // ---- interrupts ------------------------------------------------------------------------

    /** Marks a vector requested (a device or the timer), edge-triggered. */
    public void request(int vector) {
        accept(vector, false);
    }

    /** A fixed interrupt message from the APIC bus; {@code level} marks it level-triggered in the TMR. */
    public void accept(int vector, boolean level) {
        long bit = 1L << (vector & 63);
        int word = (vector >> 6) & 3;
        irr[word] |= bit;
        if (level) {
            tmr[word] |= bit;
        } else {
            tmr[word] &= ~bit;
        }
        requested = true;
        wakeUp.run();
    }

    /** An NMI for this CPU (ICR delivery mode NMI, LINT1 or an IOAPIC entry in NMI mode). */
    public void nmi() {
        nmiPending = true;
        requested = true;
        wakeUp.run();
    }

    public boolean nmiPending() {
        return nmiPending;
    }

    /** The CPU takes the NMI. */
    public void acknowledgeNmi() {
        nmiPending = false;
        updateRequested();
    }

    /** The 8259's INTR output changed. */
    public void setExtIntLine(boolean level) {
        extIntLine = level;
        updateRequested();
        if (level) {
            wakeUp.run();
        }
    }

    /**
     * Whether the 8259 reaches this CPU, as QEMU's apic_accept_pic_intr: with the APIC globally
     * disabled, or LINT0 unmasked in ExtINT mode.
     */
    public boolean acceptsPicInterrupts() {
        return (apicBase & (1 << 11)) == 0 || (lvtLint0 & (LVT_MASKED | 0x700)) == 0x700;
    }

    /** The external NMI pin (LINT1), as QEMU's "nmi" monitor command raises it. */
    public void assertLint1() {
        if ((lvtLint1 & LVT_MASKED) != 0) {
            return;
        }
        switch ((lvtLint1 >> 8) & 7) {
            case 4 -> nmi();
            case 0 -> request(lvtLint1 & 0xFF);
            default -> { }
        }
    }

    private void updateRequested() {
        requested = (irr[0] | irr[1] | irr[2] | irr[3]) != 0 || nmiPending || extIntLine;
    }

    /** Whether a maskable interrupt (IRR above the processor priority, or ExtINT) is pending. */
    public boolean interruptPending() {
        return pendingVector() >= 0 || (extIntLine && acceptsPicInterrupts());
    }

    private static int highest(long[] bits) {
        for (int i = 3; i >= 0; i--) {
            if (bits[i] != 0) {
                return i * 64 + 63 - Long.numberOfLeadingZeros(bits[i]);
            }
        }
        return -1;
    }

    private int ppr() {
        int isrv = highest(isr);
        int isrClass = isrv < 0 ? 0 : isrv & 0xF0;
        return (tpr & 0xF0) >= isrClass ? tpr : isrClass;
    }

    /** True if any vector is requested (cheap test before {@link #pendingVector()}). */
    public boolean hasRequests() {
        return requested;
    }

    /** The vector the CPU would take now, or -1. */
    public int pendingVector() {
        int v = highest(irr);
        if (v < 0 || (v & 0xF0) <= (ppr() & 0xF0)) {
            return -1;
        }
        return v;
    }

    /** The CPU takes the pending vector: IRR to ISR, or the 8259's vector through ExtINT; -1 if none. */
    public int acknowledge() {
        int v = pendingVector();
        if (v >= 0) {
            irr[v >> 6] &= ~(1L << (v & 63));
            isr[v >> 6] |= 1L << (v & 63);
            updateRequested();
            interruptsDelivered++;
        } else if (extIntLine && acceptsPicInterrupts()) {
            v = extIntAcknowledge.getAsInt() & 0xFF; // the INTA cycle may lower the line again
            interruptsDelivered++;
        }
        return v;
    }

    public long interruptsDelivered() {
        return interruptsDelivered;
    }

    private void eoi() {
        int v = highest(isr);
        if (v >= 0) {
            long bit = 1L << (v & 63);
            isr[v >> 6] &= ~bit;
            if ((tmr[v >> 6] & bit) != 0) {
                tmr[v >> 6] &= ~bit;
                eoiBroadcast.accept(v);
            }
        }
    }

    // ---- timer -----------------------------------------------------------------------------

    private int divisor() {
        int d = (divideConfig & 3) | ((divideConfig & 8) >> 1);
        return d == 7 ? 1 : 2 << d;
    }

    private int timerMode() {
        return (lvtTimer >> 17) & 3;
    }

    /** Guest time at which the timer fires next, or {@link Long#MAX_VALUE}. */
    public long deadline() {
        return deadline;
    }

    /** The timer reached its deadline at guest time {@code now}: request its vector, re-arm if periodic. */
    public void timerExpired(long now) {
        if (deadline == Long.MAX_VALUE || now < deadline) {
            return;
        }
        if ((lvtTimer & LVT_MASKED) == 0) {
            request(lvtTimer & 0xFF);
        }
        if (timerMode() == 1 && initialCount != 0) {
            long period = (long) initialCount * divisor();
            timerStart = deadline;
            deadline += period;
            if (deadline <= now) {
                deadline = now + period;
            }
        } else {
            deadline = Long.MAX_VALUE;
            if (timerMode() == 2) {
                tscDeadline = 0;
            }
        }
    }

    private void startTimer(long now) {
        if (timerMode() == 2) {
            return;
        }
        timerStart = now;
        deadline = initialCount == 0 ? Long.MAX_VALUE : now + (long) initialCount * divisor();
    }

    private int currentCount(long now) {
        if (deadline == Long.MAX_VALUE || timerMode() == 2) {
            return 0;
        }
        long left = deadline - now;
        return left <= 0 ? 0 : (int) Math.min(0xFFFF_FFFFL, (left + divisor() - 1) / divisor());
    }

    public long tscDeadline() {
        return tscDeadline;
    }

    public void setTscDeadline(long value, long now) {
        if (timerMode() != 2) {
            return;
        }
        tscDeadline = value;
        deadline = value == 0 ? Long.MAX_VALUE : Math.max(value, now);
    }

    // ---- registers -------------------------------------------------------------------------

    /** Reads an APIC register by xAPIC offset (x2APIC MSR n is offset (n - 0x800) << 4). */
    public int read(int offset, long now) {
        return switch (offset) {
            case 0x20 -> x2apic() ? id : id << 24;
            case 0x30 -> 0x50014;
            case 0x80 -> tpr;
            case 0xA0 -> ppr();
            case 0xD0 -> x2apic() ? ((id >> 4) << 16) | (1 << (id & 15)) : ldr;
            case 0xE0 -> dfr;
            case 0xF0 -> svr;
            case 0x280 -> esr;
            case 0x300 -> icrLow;
            case 0x310 -> icrHigh;
            case 0x320 -> lvtTimer;
            case 0x330 -> lvtThermal;
            case 0x340 -> lvtPerf;
            case 0x350 -> lvtLint0;
            case 0x360 -> lvtLint1;
            case 0x370 -> lvtError;
            case 0x380 -> initialCount;
            case 0x390 -> currentCount(now);
            case 0x3E0 -> divideConfig;
            default -> {
                if (offset >= 0x100 && offset < 0x180) {
                    yield word(isr, (offset - 0x100) >> 4);
                }
                if (offset >= 0x180 && offset < 0x200) {
                    yield word(tmr, (offset - 0x180) >> 4);
                }
                if (offset >= 0x200 && offset < 0x280) {
                    yield word(irr, (offset - 0x200) >> 4);
                }
                yield 0;
            }
        };
    }

    private static int word(long[] bits, int i) {
        return (int) (bits[i >> 1] >>> ((i & 1) * 32));
    }

    public void write(int offset, int value, long now) {
        switch (offset) {
            case 0x80 -> tpr = value & 0xFF;
            case 0xB0 -> eoi();
            case 0xD0 -> ldr = value & 0xFF000000;
            case 0xE0 -> dfr = value | 0x0FFFFFFF;
            case 0xF0 -> {
                svr = value & 0x1FF;
                if (!softwareEnabled()) {
                    // software-disabled: every LVT entry reads masked and stays so (SDM 11.4.7.2)
                    lvtTimer |= LVT_MASKED;
                    lvtThermal |= LVT_MASKED;
                    lvtPerf |= LVT_MASKED;
                    lvtLint0 |= LVT_MASKED;
                    lvtLint1 |= LVT_MASKED;
                    lvtError |= LVT_MASKED;
                }
            }
            case 0x280 -> esr = 0;
            case 0x300 -> {
                icrLow = value & ~(1 << 12);
                sendIpi();
            }
            case 0x310 -> icrHigh = value & 0xFF000000;
            case 0x320 -> {
                int oldMode = timerMode();
                lvtTimer = value & (0x700FF | LVT_MASKED);
                if (!softwareEnabled()) {
                    lvtTimer |= LVT_MASKED;
                }
                if (oldMode != timerMode()) {
                    deadline = Long.MAX_VALUE;
                    tscDeadline = 0;
                }
            }
            case 0x330 -> lvtThermal = value & 0x107FF;
            case 0x340 -> lvtPerf = value & 0x107FF;
            case 0x350 -> lvtLint0 = value & 0x1A7FF;
            case 0x360 -> lvtLint1 = value & 0x1A7FF;
            case 0x370 -> lvtError = value & 0x100FF;
            case 0x380 -> {
                initialCount = value;
                startTimer(now);
            }
            case 0x3E0 -> divideConfig = value & 0xB;
            case 0x3F0 -> request(value & 0xFF); // x2APIC SELF IPI
            default -> { }
        }
    }

    /** x2APIC ICR write (MSR 0x830): one 64-bit register. */
    public void writeIcr64(long value) {
        icrHigh = (int) (value >>> 32);
        icrLow = (int) value;
        sendIpi();
    }

    private void sendIpi() {
        int vector = icrLow & 0xFF;
        int mode = (icrLow >> 8) & 7;
        boolean logical = (icrLow & (1 << 11)) != 0;
        int shorthand = (icrLow >> 18) & 3;
        int dest = x2apic() ? icrHigh : icrHigh >>> 24;
        if (mode == 5 && (icrLow & (3 << 14)) == (2 << 14)) {
            return; // INIT level de-assert: only synchronises arbitration ids
        }
        switch (shorthand) {
            case 1 -> deliverToSelf(vector, mode);
            case 2 -> {
                deliverToSelf(vector, mode);
                ipiSink.send(-1, false, vector, mode);
            }
            case 3 -> ipiSink.send(-1, false, vector, mode);
            default -> ipiSink.send(dest, logical, vector, mode);
        }
    }

    private void deliverToSelf(int vector, int mode) {
        if (mode == 4) {
            nmi();
        } else if (mode == 0 || mode == 1) {
            request(vector);
        }
    }

    /** Whether a physical ({@code logical} false) or logical destination names this APIC. */
    public boolean matches(int dest, boolean logical) {
        if (!logical) {
            return dest == id || dest == (x2apic() ? -1 : 0xFF);
        }
        if (x2apic()) {
            int ldr = ((id >> 4) << 16) | (1 << (id & 15));
            return dest == -1 || ((dest >>> 16) == (ldr >>> 16) && (dest & ldr & 0xFFFF) != 0);
        }
        int mine = ldr >>> 24;
        if ((dfr >>> 28) == 0xF) {
            return (dest & mine) != 0; // flat model
        }
        return dest == 0xFF || ((dest >> 4) == (mine >> 4) && (dest & mine & 0xF) != 0); // cluster model
    }
}
