/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.VmConfig;

/** {@code hvdbg run}: boots a guest image and ends with the guest's exit status. */
final class RunCommand implements Command {
    private static final Set<String> FLAGS = Set.of("--tdx", "--wait-gdb", "--stats");
    private static final Set<String> VALUED = Set.of("--arch", "--kernel", "--initrd", "--smp", "--memory",
            "--vendor", "--cpu", "--isa", "--gdb", "--trace", "--option");
    private static final Set<String> FREE_VALUED = Set.of("--append");

    /** A parsed {@code run} command line. */
    record Request(VmConfig config, GuestRunner.Settings settings) {
    }

    private final Function<Architecture, MachineFactory> factories;

    RunCommand() {
        this(Machines::factory);
    }

    /** With other machine factories (tests). */
    RunCommand(Function<Architecture, MachineFactory> factories) {
        this.factories = factories;
    }

    @Override
    public int execute(List<String> args, Io io) throws CliException {
        Request r = parse(args);
        checkFiles(r);
        return new GuestRunner(io.out(), io.err(), io.in(), factories).run("run", r.config(), r.settings());
    }

    /** Parses and validates the options (no file access): every mistake is a usage error naming it. */
    static Request parse(List<String> args) throws CliException {
        Options o = Options.parse("run", args, FLAGS, VALUED, FREE_VALUED, 0);
        Architecture arch = Machines.parseArchitecture("run", o.required("--arch"));
        Path kernel = path(o, "--kernel", true);
        VmConfig c = VmConfig.defaults(arch)
                .withKernel(kernel)
                .withSmp(o.intValue("--smp", 1, 1, VmConfig.MAX_VCPUS))
                .withMemoryMiB(o.mebibytes("--memory", VmConfig.DEFAULT_MEMORY_MIB, 1, 65536));
        if (o.has("--initrd")) {
            c = c.withInitrd(path(o, "--initrd", false));
        }
        if (o.has("--append")) {
            c = c.withAppend(o.value("--append"));
        }
        if (arch == Architecture.X86_64) {
            for (String riscvOnly : new String[] {"--isa"}) {
                if (o.has(riscvOnly)) {
                    throw CliException.usage("run", "option " + riscvOnly + " applies to --arch riscv64 only");
                }
            }
            if (o.has("--vendor")) {
                String v = o.value("--vendor").toLowerCase(Locale.ROOT);
                if (!v.equals("intel") && !v.equals("amd")) {
                    throw CliException.usage("run", "option --vendor must be intel or amd, not '" + o.value("--vendor") + "'");
                }
                c = c.withVendor(v);
            }
            if (o.has("--cpu")) {
                c = c.withCpuModel(o.value("--cpu"));
            }
            if (o.has("--tdx")) {
                if (c.amd()) {
                    throw CliException.usage("run", "option --tdx needs --vendor intel (TDX is an Intel technology)");
                }
                c = c.withTdx(true);
            }
        } else {
            for (String x86Only : new String[] {"--vendor", "--cpu", "--tdx"}) {
                if (o.has(x86Only)) {
                    throw CliException.usage("run", "option " + x86Only + " applies to --arch x86_64 only");
                }
            }
            if (o.has("--isa")) {
                String isa = o.value("--isa").toLowerCase(Locale.ROOT);
                if (!isa.startsWith("rv64") || !isa.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
                    throw CliException.usage("run", "option --isa must be an RV64 ISA string such as"
                            + " rv64imafdc_zba_zabha, not '" + o.value("--isa") + "'");
                }
                c = c.withIsa(isa);
            }
        }
        if (o.has("--option")) {
            // Machine properties, QEMU -machine style: KEY=VALUE[,KEY=VALUE...]; the core validates them.
            for (String kv : o.value("--option").split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0 || eq == kv.length() - 1) {
                    throw CliException.usage("run", "option --option takes KEY=VALUE[,KEY=VALUE...], not '" + kv + "'");
                }
                c = c.withOption(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        GdbEndpoint gdb = o.has("--gdb") ? GdbEndpoint.parse(o.value("--gdb")) : null;
        boolean wait = o.has("--wait-gdb");
        if (wait && gdb == null) {
            throw CliException.usage("run", "option --wait-gdb needs --gdb PORT");
        }
        Path trace = o.has("--trace") ? path(o, "--trace", false) : null;
        return new Request(c, new GuestRunner.Settings(gdb, wait, o.has("--stats"), trace, true));
    }

    private static Path path(Options o, String option, boolean required) throws CliException {
        String v = required ? o.required(option) : o.value(option);
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw CliException.usage("run", "option " + option + " is not a valid path: '" + v + "'");
        }
    }

    /** The input files must be readable and the trace's folder must exist before the guest runs. */
    static void checkFiles(Request r) throws CliException {
        VmConfig c = r.config();
        checkReadable("kernel", c.kernel());
        if (c.initrd() != null) {
            checkReadable("initrd", c.initrd());
        }
        Path trace = r.settings().trace();
        if (trace != null) {
            Path dir = trace.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw CliException.input("cannot write trace file " + trace + ": folder " + dir + " does not exist");
            }
            if (Files.isDirectory(trace)) {
                throw CliException.input("cannot write trace file " + trace + ": it is a folder");
            }
        }
    }

    private static void checkReadable(String what, Path file) throws CliException {
        if (!Files.exists(file)) {
            throw CliException.input("cannot read " + what + " " + file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw CliException.input("cannot read " + what + " " + file + ": not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw CliException.input("cannot read " + what + " " + file + ": permission denied");
        }
    }
}
