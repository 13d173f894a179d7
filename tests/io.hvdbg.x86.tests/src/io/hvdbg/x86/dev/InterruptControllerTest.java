/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Register-level behaviour of the 8259 pair, the 8254 and the IOAPIC/LAPIC interrupt paths, with
 * the values the Intel data sheets (8259A, 8254, 82093AA) and QEMU's models give.
 */
class InterruptControllerTest {
    private final List<Boolean> intr = new ArrayList<>();

    private DualPic initialisedPic(int master, int slave) {
        DualPic pic = new DualPic();
        pic.setOutput(intr::add);
        pic.out(0x20, 1, 0x11);
        pic.out(0x21, 1, master);
        pic.out(0x21, 1, 0x04);
        pic.out(0x21, 1, 0x01);
        pic.out(0xA0, 1, 0x11);
        pic.out(0xA1, 1, slave);
        pic.out(0xA1, 1, 0x02);
        pic.out(0xA1, 1, 0x01);
        return pic;
    }

    @Test
    void edgeRequestIsAcknowledgedIntoServiceAndEndedByEoi() {
        DualPic pic = initialisedPic(0x20, 0x28);
        pic.out(0x21, 1, 0xFE);
        pic.setIrq(0, true);
        assertTrue(pic.output());
        assertEquals(0x20, pic.acknowledge());
        assertFalse(pic.output());
        assertEquals(1, pic.isr());
        pic.setIrq(0, false);
        pic.setIrq(0, true); // a second edge while in service: requested, not delivered
        assertFalse(pic.output());
        pic.out(0x20, 1, 0x20); // non-specific EOI
        assertTrue(pic.output());
        assertEquals(0x20, pic.acknowledge());
    }

    @Test
    void maskedEdgeIsLatchedAndHigherPriorityPreempts() {
        DualPic pic = initialisedPic(0x20, 0x28);
        pic.out(0x21, 1, 0xFF);
        pic.setIrq(3, true);
        assertEquals(1 << 3, pic.irr());
        assertFalse(pic.output());
        pic.out(0x21, 1, 0x00);
        assertEquals(0x23, pic.acknowledge());
        pic.setIrq(1, true); // higher priority than the IRQ 3 in service
        assertTrue(pic.output());
        assertEquals(0x21, pic.acknowledge());
        pic.setIrq(5, true); // lower priority: waits
        assertFalse(pic.output());
        pic.out(0x20, 1, 0x20); // EOI ends IRQ 1 (highest in service)
        pic.out(0x20, 1, 0x20); // then IRQ 3
        assertEquals(0x25, pic.acknowledge());
    }

    @Test
    void slaveRequestsCascadeThroughIrq2() {
        DualPic pic = initialisedPic(0x20, 0x70);
        pic.out(0x21, 1, 0xFB);
        pic.out(0xA1, 1, 0xEF);
        pic.setIrq(12, true);
        assertTrue(pic.output());
        assertEquals(0x74, pic.acknowledge());
        assertEquals((1 << 2) | (1 << 12), pic.isr());
        pic.out(0xA0, 1, 0x20);
        pic.out(0x20, 1, 0x20);
        assertEquals(0, pic.isr());
    }

    @Test
    void requestGoneBeforeInterruptAcknowledgeIsSpuriousIrq7() {
        DualPic pic = initialisedPic(0x20, 0x28);
        pic.out(0x4D0, 1, 0x08); // IRQ 3 level-triggered
        pic.out(0x21, 1, 0x00);
        pic.setIrq(3, true);
        assertTrue(pic.output());
        pic.setIrq(3, false); // the device dropped its line before INTA
        assertEquals(0x27, pic.acknowledge());
        assertEquals(0, pic.isr()); // a spurious IRQ 7 is not in service
    }

    @Test
    void elcrKeepsTimerCascadeAndIrq8And13Edge() {
        DualPic pic = initialisedPic(0x20, 0x28);
        pic.out(0x4D0, 1, 0xFF);
        pic.out(0x4D1, 1, 0xFF);
        assertEquals(0xF8, pic.in(0x4D0, 1));
        assertEquals(0xDE, pic.in(0x4D1, 1));
    }

    @Test
    void autoEoiAndPollMode() {
        DualPic pic = new DualPic();
        pic.out(0x20, 1, 0x11);
        pic.out(0x21, 1, 0x08);
        pic.out(0x21, 1, 0x04);
        pic.out(0x21, 1, 0x03); // 8086 mode, auto-EOI
        pic.out(0x21, 1, 0x00);
        pic.setIrq(4, true);
        assertEquals(0x0C, pic.acknowledge());
        assertEquals(0, pic.isr());
        pic.setIrq(6, true);
        pic.out(0x20, 1, 0x0C); // OCW3 poll
        assertEquals(0x86, pic.in(0x20, 1));
        pic.out(0x20, 1, 0x0B); // read ISR
        assertEquals(0, pic.in(0x20, 1) & 0x40); // auto-EOI: not left in service
    }

    @Test
    void pitChannel0Mode2EdgesAreGuestTimeDeadlines() {
        long[] now = {0};
        Pit8254 pit = new Pit8254(() -> now[0]);
        List<Boolean> irq = new ArrayList<>();
        pit.setIrq0(irq::add);
        pit.out(0x43, 1, 0x34);
        pit.out(0x40, 1, 1193 & 0xFF);
        pit.out(0x40, 1, 1193 >> 8);
        // 1193 ticks of 1.193182 MHz = 999,847 ns, rounded up to the nanosecond the tick is in
        assertEquals(999_848, pit.deadline());
        now[0] = pit.deadline();
        irq.clear();
        pit.expire(now[0]);
        assertEquals(List.of(true, false), irq); // one pulse: a rising edge for the 8259/IOAPIC
        assertEquals(1_999_695, pit.deadline());
        now[0] = 10_500_000; // ten periods passed unseen: they collapse into one edge
        pit.expire(now[0]);
        assertEquals(2, pit.edges());
        assertTrue(pit.deadline() > now[0] && pit.deadline() - now[0] < 1_000_000);
    }

    @Test
    void pitLatchReadBackAndChannel2Gate() {
        long[] now = {0};
        Pit8254 pit = new Pit8254(() -> now[0]);
        pit.out(0x43, 1, 0x34);
        pit.out(0x40, 1, 0x00);
        pit.out(0x40, 1, 0x10); // 4096
        now[0] = 1_000_000; // 1193 ticks
        pit.out(0x43, 1, 0x00); // latch channel 0
        now[0] = 2_000_000;
        int count = pit.in(0x40, 1) | pit.in(0x40, 1) << 8;
        assertEquals(4096 - 1193, count);
        pit.out(0x43, 1, 0xE2); // read-back: status of channel 0
        assertEquals(0x34, pit.in(0x40, 1) & 0x3F);
        Pit8254.SpeakerPort port61 = new Pit8254.SpeakerPort(pit);
        pit.out(0x43, 1, 0xB0); // channel 2, mode 0
        pit.out(0x42, 1, 100);
        pit.out(0x42, 1, 0);
        port61.out(0x61, 1, 1);
        assertEquals(0x01, port61.in(0x61, 1) & 0x21);
        now[0] += 100_000; // 119 ticks: past terminal count
        assertEquals(0x21, port61.in(0x61, 1) & 0x21);
    }

    private record Message(int dest, boolean logical, int vector, int mode, boolean level) {
    }

    @Test
    void ioapicLevelEntryHoldsRemoteIrrUntilEoi() {
        IoApic io = new IoApic();
        List<Message> sent = new ArrayList<>();
        io.setBus((d, l, v, m, lv) -> sent.add(new Message(d, l, v, m, lv)));
        assertEquals(0x00170020, select(io, 1));
        write(io, 0x10 + 2 * 9 + 1, 1 << 24);
        write(io, 0x10 + 2 * 9, 0x51 | (1 << 15)); // vector 0x51, level, unmasked, dest APIC 1
        io.setIrq(9, true);
        assertEquals(List.of(new Message(1, false, 0x51, 0, true)), sent);
        assertTrue((io.entry(9) & IoApic.REMOTE_IRR) != 0);
        io.setIrq(9, true); // still asserted: no second message while Remote IRR is set
        assertEquals(1, sent.size());
        write(io, 0x10 + 2 * 9, 0x51 | (1 << 15) | (1 << 14)); // Remote IRR is read-only
        assertTrue((io.entry(9) & IoApic.REMOTE_IRR) != 0);
        io.endOfInterrupt(0x51); // line still high: delivered again
        assertEquals(2, sent.size());
        io.setIrq(9, false);
        io.endOfInterrupt(0x51);
        assertEquals(2, sent.size());
        assertEquals(0, io.entry(9) & IoApic.REMOTE_IRR);
    }

    @Test
    void ioapicDropsEdgesOnMaskedPinsAndHonoursPolarity() {
        IoApic io = new IoApic();
        List<Message> sent = new ArrayList<>();
        io.setBus((d, l, v, m, lv) -> sent.add(new Message(d, l, v, m, lv)));
        io.setIrq(4, true); // masked at reset
        io.setIrq(4, false);
        write(io, 0x10 + 2 * 4, 0x41);
        assertEquals(0, sent.size());
        io.setIrq(4, true);
        assertEquals(List.of(new Message(0, false, 0x41, 0, false)), sent);
        write(io, 0x10 + 2 * 5, 0x42 | (1 << 13) | (4 << 8) | (1 << 11)); // active low, NMI, logical
        io.setIrq(5, false);
        assertEquals(new Message(0, true, 0x42, 4, false), sent.get(1));
    }

    @Test
    void lapicLevelEoiIsBroadcastAndNmiAndExtIntArePending() {
        LocalApic apic = new LocalApic(0, true);
        List<Integer> eois = new ArrayList<>();
        apic.setEoiBroadcast(eois::add);
        apic.write(0xF0, 0x1FF, 0);
        apic.accept(0x51, true);
        assertEquals(1 << 17, apic.read(0x1A0, 0) & (1 << 17)); // TMR bit of vector 0x51
        assertEquals(0x51, apic.acknowledge());
        apic.write(0xB0, 0, 0);
        assertEquals(List.of(0x51), eois);
        apic.nmi();
        assertTrue(apic.hasRequests() && apic.nmiPending());
        apic.acknowledgeNmi();
        assertFalse(apic.hasRequests());
        // LINT0 in ExtINT mode passes the 8259's INTR; masking LINT0 stops it
        apic.setExtIntAcknowledge(() -> 0x20);
        apic.setExtIntLine(true);
        assertTrue(apic.interruptPending());
        assertEquals(0x20, apic.acknowledge());
        apic.write(0x350, 0x10700, 0);
        assertFalse(apic.interruptPending());
        // LINT1 in NMI mode (SeaBIOS's set-up) turns the NMI pin into an NMI
        apic.firmwareSetup();
        apic.assertLint1();
        assertTrue(apic.nmiPending());
    }

    @Test
    void ioapicExtIntPinTakesThe8259sVector() throws Exception {
        io.hvdbg.x86.X86Machine vm = (io.hvdbg.x86.X86Machine) new io.hvdbg.x86.X86MachineFactory().create(
                io.hvdbg.core.VmConfig.defaults(io.hvdbg.core.Architecture.X86_64));
        try {
            // virtual wire through the IOAPIC: pin 0 in ExtINT mode delivers what the 8259's INTA
            // cycle gives (QEMU's ioapic_service); the firmware set-up puts IRQ 0 at vector 0x08
            IoApic ioapic = vm.ioapic();
            write(ioapic, 0x10, 7 << 8); // pin 0: ExtINT, edge, unmasked, to APIC 0
            vm.pic().setIrq(0, true);
            ioapic.setIrq(0, true);
            assertEquals(1 << 8, vm.x86(0).apic().read(0x200, 0) & (1 << 8)); // IRR bit of vector 0x08
            assertEquals(1, vm.pic().isr() & 1); // acknowledged at the 8259
        } finally {
            vm.terminate();
        }
    }

    private static long select(IoApic io, int reg) {
        io.write(0, 4, reg);
        return io.read(0x10, 4);
    }

    private static void write(IoApic io, int reg, long value) {
        io.write(0, 4, reg);
        io.write(0x10, 4, value);
    }
}
