/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.testarch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.exit.ExitAttribute;
import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitDecoder;
import io.hvdbg.core.exit.ExitDecoders;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.core.inspect.CpuidEntry;
import io.hvdbg.core.inspect.FeatureBit;
import io.hvdbg.core.inspect.FeatureReport;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.core.tlb.FlushRecord;
import io.hvdbg.core.tlb.TlbEntry;
import io.hvdbg.core.tlb.TlbModel;

/**
 * A small machine for testing the stub without a real core: RAM at 0, vCPUs that interpret a
 * handful of real instructions of their architecture (x86-64, or RV64I; gdb decodes them, and
 * on RISC-V it single-steps by decoding them) and take a few kinds of VM exit (CPUID, port
 * I/O, HLT; SBI ecall, WFI), registered under {@link ExitSource#UNKNOWN} so they never clash
 * with the real cores' reasons.
 */
public final class TestMachine extends VirtualMachine {
    public static final long RAM_SIZE = 1 << 20;
    /** Port whose writes go to the guest console. */
    public static final int CONSOLE_PORT = 0xe9;
    /** Port whose write ends the guest with status (value << 1) | 1, like isa-debug-exit. */
    public static final int EXIT_PORT = 0xf4;

    public static final ExitReason CPUID = ExitReasons.register(ExitSource.UNKNOWN, 0x7e570001L, "TEST_CPUID",
            ExitCategory.CPUID);
    public static final ExitReason IO = ExitReasons.register(ExitSource.UNKNOWN, 0x7e570002L, "TEST_IO",
            ExitCategory.IO);
    public static final ExitReason HLT = ExitReasons.register(ExitSource.UNKNOWN, 0x7e570003L, "TEST_HLT",
            ExitCategory.HALT);
    /** An ecall of the RISC-V flavour: an SBI call (extension in a7, function in a6). */
    public static final ExitReason SBI = ExitReasons.register(ExitSource.UNKNOWN, 0x7e570004L, "TEST_SBI",
            ExitCategory.HYPERCALL);
    /** SBI system reset extension ("SRST"): ends the guest. */
    public static final long SBI_SRST = 0x53525354L;

    static {
        ExitDecoders.register(ExitSource.UNKNOWN, new ExitDecoder() {
            @Override
            public long attribute(ExitReason reason, long qualification, long info2, long context, ExitAttribute a) {
                if (reason == CPUID && a == ExitAttribute.CPUID_LEAF) {
                    return context & 0xFFFFFFFFL;
                }
                if (reason == IO && a == ExitAttribute.PORT) {
                    return (qualification >>> 16) & 0xFFFF;
                }
                if (reason == SBI && a == ExitAttribute.SBI_EXTENSION) {
                    return context;
                }
                if (reason == SBI && a == ExitAttribute.SBI_FUNCTION) {
                    return qualification;
                }
                return -1;
            }

            @Override
            public String describe(VmExit e) {
                if (e.reason() == CPUID) {
                    return String.format("CPUID leaf 0x%x", e.context() & 0xFFFFFFFFL);
                }
                if (e.reason() == SBI) {
                    return String.format("SBI call ext 0x%x fid %d", e.context(), e.qualification());
                }
                if (e.reason() == IO) {
                    return String.format("OUT port 0x%x, 1 byte", (e.qualification() >>> 16) & 0xFFFF);
                }
                return e.reason().name();
            }
        });
    }

    private final Architecture architecture;
    private volatile boolean registersProtected;

    public TestMachine(Architecture architecture, int vcpus) {
        super(VmConfig.defaults(architecture).withSmp(vcpus).withTraceBytes(1 << 22));
        this.architecture = architecture;
        memory().addRam("ram", 0, RAM_SIZE);
        for (int i = 0; i < vcpus; i++) {
            addVcpu(new TestVcpu(this, i));
        }
    }

    public TestMachine(int vcpus) {
        this(Architecture.X86_64, vcpus);
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    public TestVcpu testVcpu(int i) {
        return (TestVcpu) vcpu(i);
    }

    /** Makes register reads fail as a TDX guest's do. */
    public void setRegistersProtected(boolean on) {
        registersProtected = on;
    }

    boolean registersProtected() {
        return registersProtected;
    }

    /** Writes code or data into guest memory. */
    public void load(long address, byte[] bytes) {
        memory().write(address, bytes, 0, bytes.length);
    }

    @Override
    public List<StateRow> systemState(int vcpu) {
        TestVcpu v = testVcpu(vcpu);
        if (architecture == Architecture.RISCV64) {
            return List.of(new StateRow("hypervisor", "hstatus", v.readRegister("hstatus"), "SPV"),
                    new StateRow("guest", "vsatp", v.readRegister("vsatp"), "Bare"));
        }
        return List.of(new StateRow("control", "cr0", v.readRegister("cr0"), "PE PG"),
                new StateRow("control", "cr4", v.readRegister("cr4"), "PAE"),
                new StateRow("msr", "efer", v.readRegister("efer"), "LME LMA"));
    }

    @Override
    public FeatureReport features(int vcpu) {
        if (architecture == Architecture.RISCV64) {
            return new FeatureReport("ISA rv64imafdch_zabha_svvptc (vCPU " + vcpu + ")", List.of(), List.of(
                    new FeatureBit("ISA", -1, "zabha", true, true, true),
                    new FeatureBit("ISA", -1, "svvptc", true, false, false),
                    new FeatureBit("ISA", -1, "ziccrse", true, true, true)));
        }
        return new FeatureReport("CPUID (model test, vCPU " + vcpu + ")", List.of(
                new CpuidEntry(0, 0, new int[] {0xd, 0x756e6547, 0x6c65746e, 0x49656e69},
                        new int[] {0xd, 0x756e6547, 0x6c65746e, 0x49656e69},
                        new int[] {0xd, 0x756e6547, 0x6c65746e, 0x49656e69}),
                new CpuidEntry(7, 0, new int[] {0, 0x00100080, 0, 0}, new int[] {0, 0x00000080, 0, 0},
                        new int[] {0, 0x00000080, 0, 0})),
                List.of(new FeatureBit("CPUID.(EAX=07H,ECX=0):EBX", 7, "smep", true, true, true),
                        new FeatureBit("CPUID.(EAX=07H,ECX=0):EBX", 20, "smap", true, false, false),
                        new FeatureBit("CPUID.(EAX=01H):ECX", 31, "hypervisor", true, true, true)));
    }

    @Override
    public TlbModel tlb(int vcpu) {
        return new TlbModel() {
            @Override
            public List<TlbEntry> entries() {
                return List.of(new TlbEntry(0x1000, 0x1000, -1, 4096, 0, 1, false, "rwx", true, false),
                        new TlbEntry(0xffff800000000000L, 0x200000, 0x7f0000200000L, 2 << 20, 3, 1, true, "rw-", true,
                                true));
            }

            @Override
            public long hits() {
                return 1234;
            }

            @Override
            public long misses() {
                return 56;
            }

            @Override
            public Map<String, Long> flushesByCause() {
                Map<String, Long> m = new LinkedHashMap<>();
                m.put("CR3 write", 3L);
                m.put("CR4.PGE toggle", 1L);
                return m;
            }

            @Override
            public Map<String, Long> requestsByCause() {
                return Map.of("KVM_REQ_TLB_FLUSH_GUEST", 2L);
            }

            @Override
            public List<FlushRecord> history(int max) {
                List<FlushRecord> h = new ArrayList<>();
                h.add(new FlushRecord(100, vcpu, "CR3 write", "non-global", 0, false, 5));
                h.add(new FlushRecord(200, vcpu, "CR4.PGE toggle", "all", 0, false, 7));
                return h.subList(Math.max(0, h.size() - max), h.size());
            }

            @Override
            public Map<String, String> properties() {
                return Map.of("amd-pge-flush", "6.14");
            }
        };
    }
}
