/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.boot;

import java.util.List;

import io.hvdbg.riscv.cpu.IsaConfig;
import io.hvdbg.riscv.cpu.Timebase;

/**
 * The device tree of the "virt"-like machine, shaped like the one QEMU generates for a KVM
 * guest: memory, cpus (riscv,isa and riscv,isa-extensions from each vCPU's ISA configuration,
 * mmu-type, timebase-frequency), chosen (bootargs, stdout-path, initrd), the ns16550a UART,
 * the PLIC with one S-mode context per hart, and the CLINT.
 */
public final class VirtDeviceTree {
    private VirtDeviceTree() {
    }

    /** What the tree describes. */
    public record Layout(long ramBase, long ramSize, List<IsaConfig> harts, String bootargs, long initrdStart,
            long initrdEnd, long uartBase, int uartIrq, long plicBase, long plicSize, long clintBase, long clintSize) {
    }

    private static final int PHANDLE_PLIC = 1;
    private static final int PHANDLE_CPU_INTC = 2; // + hart index

    public static byte[] build(Layout l) {
        FdtBuilder f = new FdtBuilder();
        f.beginNode("");
        f.cells("#address-cells", 2).cells("#size-cells", 2);
        f.property("compatible", "riscv-virtio");
        f.property("model", "riscv-virtio,qemu (hvdbg)");

        f.beginNode("chosen");
        if (l.bootargs() != null) {
            f.property("bootargs", l.bootargs());
        }
        f.property("stdout-path", String.format("/soc/serial@%x", l.uartBase()));
        if (l.initrdEnd() > l.initrdStart()) {
            f.longs("linux,initrd-start", l.initrdStart());
            f.longs("linux,initrd-end", l.initrdEnd());
        }
        f.endNode();

        f.beginNode(String.format("memory@%x", l.ramBase()));
        f.property("device_type", "memory");
        f.longs("reg", l.ramBase(), l.ramSize());
        f.endNode();

        f.beginNode("cpus");
        f.cells("#address-cells", 1).cells("#size-cells", 0);
        f.cells("timebase-frequency", (int) Timebase.FREQUENCY_HZ);
        for (int i = 0; i < l.harts().size(); i++) {
            IsaConfig isa = l.harts().get(i);
            f.beginNode("cpu@" + i);
            f.property("device_type", "cpu");
            f.cells("reg", i);
            f.property("status", "okay");
            f.property("compatible", "riscv");
            f.property("riscv,isa", isa.isaString());
            f.property("riscv,isa-base", "rv64i");
            f.stringList("riscv,isa-extensions", isa.isaExtensionNames());
            f.property("mmu-type", "riscv,sv57");
            f.cells("phandle", cpuPhandleless(i));
            f.beginNode("interrupt-controller");
            f.cells("#interrupt-cells", 1);
            f.property("interrupt-controller");
            f.property("compatible", "riscv,cpu-intc");
            f.cells("phandle", PHANDLE_CPU_INTC + i);
            f.endNode();
            f.endNode();
        }
        f.beginNode("cpu-map");
        f.beginNode("cluster0");
        for (int i = 0; i < l.harts().size(); i++) {
            f.beginNode("core" + i);
            f.cells("cpu", cpuPhandleless(i));
            f.endNode();
        }
        f.endNode();
        f.endNode();
        f.endNode();

        f.beginNode("soc");
        f.cells("#address-cells", 2).cells("#size-cells", 2);
        f.property("compatible", "simple-bus");
        f.property("ranges");

        f.beginNode(String.format("serial@%x", l.uartBase()));
        f.property("compatible", "ns16550a");
        f.longs("reg", l.uartBase(), 0x100);
        f.cells("clock-frequency", 3686400);
        f.cells("interrupts", l.uartIrq());
        f.cells("interrupt-parent", PHANDLE_PLIC);
        f.endNode();

        f.beginNode(String.format("plic@%x", l.plicBase()));
        f.stringList("compatible", List.of("sifive,plic-1.0.0", "riscv,plic0"));
        f.longs("reg", l.plicBase(), l.plicSize());
        f.cells("#address-cells", 0);
        f.cells("#interrupt-cells", 1);
        f.property("interrupt-controller");
        f.cells("riscv,ndev", 95);
        int[] ext = new int[l.harts().size() * 2];
        for (int i = 0; i < l.harts().size(); i++) {
            ext[2 * i] = PHANDLE_CPU_INTC + i;
            ext[2 * i + 1] = 9; // S-mode external interrupt
        }
        f.cells("interrupts-extended", ext);
        f.cells("phandle", PHANDLE_PLIC);
        f.endNode();

        f.beginNode(String.format("clint@%x", l.clintBase()));
        f.stringList("compatible", List.of("sifive,clint0", "riscv,clint0"));
        f.longs("reg", l.clintBase(), l.clintSize());
        int[] clintIrqs = new int[l.harts().size() * 4];
        for (int i = 0; i < l.harts().size(); i++) {
            clintIrqs[4 * i] = PHANDLE_CPU_INTC + i;
            clintIrqs[4 * i + 1] = 3; // M-mode software
            clintIrqs[4 * i + 2] = PHANDLE_CPU_INTC + i;
            clintIrqs[4 * i + 3] = 7; // M-mode timer
        }
        f.cells("interrupts-extended", clintIrqs);
        f.endNode();

        f.endNode(); // soc
        f.endNode(); // root
        return f.build(0);
    }

    /** cpu-map entries need the cpu nodes' phandles; cpu N has phandle 0x100 + N. */
    private static int cpuPhandleless(int i) {
        return 0x100 + i;
    }
}
