/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

import java.util.function.LongSupplier;

import io.hvdbg.core.memory.PioHandler;

/**
 * The Intel 8254 interval timer at 0x40-0x43, counting at 1.193182 MHz of guest time: three
 * channels with LSB/MSB/word access, counter latch and read-back, modes 0-5 (6 and 7 alias 2
 * and 3) with count and OUT as QEMU's i8254 computes them. Channel 0 drives ISA IRQ 0: its
 * rising OUT edges are deadlines in guest time, and the vCPU that owns the platform timer takes
 * an external-interrupt exit there, as KVM's PIT hrtimer interrupts the guest, and raises the
 * line in {@link #expire}. Channel 2's gate is bit 0 of port 0x61 ({@link SpeakerPort}).
 */
public final class Pit8254 implements PioHandler {
    public static final int BASE = 0x40;
    public static final long FREQUENCY = 1_193_182;
    private static final long NS = 1_000_000_000L;

    /** The IRQ 0 line. */
    @FunctionalInterface
    public interface Line {
        void set(boolean level);
    }

    private static final class Channel {
        int count = 0x10000;
        int mode = 3;
        int rwMode = 3;
        int readState = 3;
        int writeState = 3;
        int writeLatch;
        int latchedCount;
        int countLatched;
        int status;
        boolean statusLatched;
        boolean bcd;
        boolean gate;
        long loadTime;
    }

    private static final int RW_LSB = 1, RW_MSB = 2, RW_WORD0 = 3, RW_WORD1 = 4;

    private final Channel[] channels = new Channel[3];
    private final LongSupplier clock;
    private Line irq0 = level -> { };
    /** Ticks after channel 0's load time of its next rising OUT edge, or -1. */
    private long nextEdgeTick = -1;
    /** Guest time of that edge, or {@link Long#MAX_VALUE}. */
    private long deadline = Long.MAX_VALUE;
    private Runnable deadlineChanged = () -> { };
    private long edges;

    /** {@code clock} gives the guest time (ns) of the accessing vCPU. */
    public Pit8254(LongSupplier clock) {
        this.clock = clock;
        for (int i = 0; i < 3; i++) {
            channels[i] = new Channel();
            channels[i].gate = i != 2;
        }
        load(channels[0], 0x10000, 0);
    }

    public void setIrq0(Line line) {
        this.irq0 = line;
    }

    /** Called whenever {@link #deadline()} changes. */
    public void setDeadlineListener(Runnable listener) {
        this.deadlineChanged = listener;
    }

    /**
     * SeaBIOS's set-up before it starts a -kernel image under QEMU: channel 0 in mode 2 with count
     * 0 (65536, the 18.2 Hz BIOS tick).
     */
    public void firmwareSetup() {
        out(BASE + 3, 1, 0x34);
        out(BASE, 1, 0);
        out(BASE, 1, 0);
    }

    private static long ticks(long from, long now) {
        long d = now - from;
        if (d <= 0) {
            return 0;
        }
        return (d / NS) * FREQUENCY + (d % NS) * FREQUENCY / NS;
    }

    /** Guest time of {@code ticks} after {@code from}, rounded up so the tick has happened by then. */
    private static long timeOf(long from, long ticks) {
        return from + (ticks / FREQUENCY) * NS + ((ticks % FREQUENCY) * NS + FREQUENCY - 1) / FREQUENCY;
    }

    private static int countNow(Channel c, long now) {
        long d = ticks(c.loadTime, now);
        return switch (c.mode) {
            case 0, 1, 4, 5 -> (int) ((c.count - d) & 0xFFFF);
            case 3 -> (int) (c.count - ((2 * d) % c.count));
            default -> (int) (c.count - (d % c.count));
        };
    }

    private static boolean outNow(Channel c, long now) {
        long d = ticks(c.loadTime, now);
        return switch (c.mode) {
            case 1 -> d < c.count;
            case 2 -> d % c.count == 0 && d != 0;
            case 3 -> d % c.count < ((c.count + 1) >> 1);
            case 4, 5 -> d == c.count;
            default -> d >= c.count;
        };
    }

    /** Channel 2's OUT, read through port 0x61 bit 5. */
    boolean channel2Out() {
        return outNow(channels[2], clock.getAsLong());
    }

    boolean channel2Gate() {
        return channels[2].gate;
    }

    /** Port 0x61 bit 0: channel 2's gate; a rising edge restarts counting in modes 1, 2, 3 and 5. */
    void setChannel2Gate(boolean gate) {
        Channel c = channels[2];
        if (gate && !c.gate && c.mode != 0 && c.mode != 4) {
            c.loadTime = clock.getAsLong();
        }
        c.gate = gate;
    }

    private void load(Channel c, int value, long now) {
        c.count = value == 0 ? 0x10000 : value;
        c.loadTime = now;
        if (c == channels[0]) {
            irq0.set(outNow(c, now));
            scheduleFrom(now);
        }
    }

    /** Finds channel 0's first rising OUT edge after {@code now}. */
    private void scheduleFrom(long now) {
        Channel c = channels[0];
        long d = ticks(c.loadTime, now);
        long edge = switch (c.mode) {
            case 2, 3 -> (d / c.count + 1) * c.count;
            case 0, 4, 5 -> d < c.count ? c.count : -1;
            default -> -1; // mode 1: OUT only falls after its trigger
        };
        nextEdgeTick = edge;
        deadline = edge < 0 ? Long.MAX_VALUE : timeOf(c.loadTime, edge);
        deadlineChanged.run();
    }

    /** Drops channel 0's edges before {@code now} without raising IRQ 0 (nobody could have seen them). */
    public void skipPassedEdges(long now) {
        if (deadline <= now) {
            scheduleFrom(now);
        }
    }

    /** Guest time of channel 0's next rising OUT edge (IRQ 0), or {@link Long#MAX_VALUE}. */
    public long deadline() {
        return deadline;
    }

    /** Rising OUT edges of channel 0 so far (IRQ 0 pulses). */
    public long edges() {
        return edges;
    }

    /**
     * Channel 0 reached its deadline by guest time {@code now}: raises IRQ 0 (a pulse in the
     * periodic modes, a level until reloaded in mode 0) and schedules the next edge. Edges that
     * {@code now} already passed collapse into this one, as an edge-triggered IRR bit would.
     */
    public void expire(long now) {
        if (now < deadline) {
            return;
        }
        Channel c = channels[0];
        edges++;
        irq0.set(true);
        if (c.mode != 0) {
            irq0.set(false);
        }
        scheduleFrom(now);
    }

    private void latchCount(Channel c) {
        if (c.countLatched == 0) {
            c.latchedCount = countNow(c, clock.getAsLong());
            c.countLatched = c.rwMode;
        }
    }

    @Override
    public int in(int port, int size) {
        int n = (port - BASE) & 3;
        if (n == 3) {
            return 0xFF;
        }
        Channel c = channels[n];
        if (c.statusLatched) {
            c.statusLatched = false;
            return c.status;
        }
        if (c.countLatched != 0) {
            return switch (c.countLatched) {
                case RW_MSB -> {
                    c.countLatched = 0;
                    yield (c.latchedCount >> 8) & 0xFF;
                }
                case RW_WORD0 -> {
                    c.countLatched = RW_MSB;
                    yield c.latchedCount & 0xFF;
                }
                default -> {
                    c.countLatched = 0;
                    yield c.latchedCount & 0xFF;
                }
            };
        }
        int count = countNow(c, clock.getAsLong());
        return switch (c.readState) {
            case RW_MSB -> (count >> 8) & 0xFF;
            case RW_WORD0 -> {
                c.readState = RW_WORD1;
                yield count & 0xFF;
            }
            case RW_WORD1 -> {
                c.readState = RW_WORD0;
                yield (count >> 8) & 0xFF;
            }
            default -> count & 0xFF;
        };
    }

    @Override
    public void out(int port, int size, int value) {
        int n = (port - BASE) & 3;
        int v = value & 0xFF;
        long now = clock.getAsLong();
        if (n == 3) {
            int ch = v >> 6;
            if (ch == 3) { // read-back
                for (int i = 0; i < 3; i++) {
                    Channel c = channels[i];
                    if ((v & (2 << i)) == 0) {
                        continue;
                    }
                    if ((v & 0x20) == 0) {
                        latchCount(c);
                    }
                    if ((v & 0x10) == 0 && !c.statusLatched) {
                        c.status = (outNow(c, now) ? 0x80 : 0) | (c.rwMode << 4) | (c.mode << 1) | (c.bcd ? 1 : 0);
                        c.statusLatched = true;
                    }
                }
                return;
            }
            Channel c = channels[ch];
            int access = (v >> 4) & 3;
            if (access == 0) {
                latchCount(c);
                return;
            }
            c.rwMode = access;
            c.readState = access;
            c.writeState = access;
            int mode = (v >> 1) & 7;
            c.mode = mode >= 6 ? mode - 4 : mode;
            c.bcd = (v & 1) != 0;
            if (ch == 0) {
                irq0.set(c.mode != 0 && outNow(c, now)); // mode 0: OUT goes low on the control word
                nextEdgeTick = -1;
                deadline = Long.MAX_VALUE; // counting waits for the new count
                deadlineChanged.run();
            }
            return;
        }
        Channel c = channels[n];
        switch (c.writeState) {
            case RW_MSB -> load(c, v << 8, now);
            case RW_WORD0 -> {
                c.writeLatch = v;
                c.writeState = RW_WORD1;
            }
            case RW_WORD1 -> {
                load(c, c.writeLatch | (v << 8), now);
                c.writeState = RW_WORD0;
            }
            default -> load(c, v, now);
        }
    }

    /**
     * Port 0x61 (PC speaker / NMI status): bit 0 gates channel 2, bit 1 enables the speaker data,
     * bit 4 toggles on each read (the refresh clock programs poll), bit 5 is channel 2's OUT.
     */
    public static final class SpeakerPort implements PioHandler {
        public static final int PORT = 0x61;
        private final Pit8254 pit;
        private boolean dataOn;
        private int refresh;

        public SpeakerPort(Pit8254 pit) {
            this.pit = pit;
        }

        @Override
        public int in(int port, int size) {
            refresh ^= 1 << 4;
            return (pit.channel2Gate() ? 1 : 0) | (dataOn ? 2 : 0) | refresh | (pit.channel2Out() ? 0x20 : 0);
        }

        @Override
        public void out(int port, int size, int value) {
            pit.setChannel2Gate((value & 1) != 0);
            dataOn = (value & 2) != 0;
        }
    }
}
