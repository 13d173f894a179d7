/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hvdbg.core.vcpu.GuestStateProtectedException;
import io.hvdbg.rsp.codec.Hex;
import io.hvdbg.rsp.codec.PacketBuffer;
import io.hvdbg.rsp.codec.PacketScanner;
import io.hvdbg.rsp.server.GdbSession;
import io.hvdbg.rsp.server.PacketTable;

/**
 * The {@code monitor} commands (gdb's {@code qRcmd} packet): a table of commands keyed by
 * name. Output goes back as one hex-encoded reply that gdb prints. A command that fails
 * prints {@code error: …}; clients that announced {@code error-message+} (gdb 15 and later)
 * get the failure as an {@code E.} reply instead, so scripts can stop on it.
 */
public final class Monitor {
    private final Map<String, MonitorCommand> commands = new LinkedHashMap<>();

    public Monitor add(MonitorCommand c) {
        commands.put(c.name(), c);
        return this;
    }

    public Collection<MonitorCommand> commands() {
        return commands.values();
    }

    public MonitorCommand command(String name) {
        return commands.get(name);
    }

    /** The standard hvdbg command set. */
    public static Monitor standard() {
        Monitor m = new Monitor();
        m.add(new MonitorCommand("help", "help [COMMAND]", "list the commands, or explain one", true,
                (s, a, out) -> m.help(a, out)));
        ExitCommands.install(m);
        InspectCommands.install(m);
        m.add(new MonitorCommand("console", "console on|off",
                "forward guest console output to the debugger while the VM runs (O packets)", true,
                (s, a, out) -> {
                    a.maxWords(1, "console on|off");
                    if (a.isEmpty()) {
                        out.append("console forwarding is ").append(s.consoleForwarding() ? "on" : "off").append('\n');
                        return;
                    }
                    switch (a.get(0)) {
                        case "on" -> s.setConsoleForwarding(true);
                        case "off" -> s.setConsoleForwarding(false);
                        default -> throw new IllegalArgumentException("console: say on or off, not " + a.get(0));
                    }
                    out.append("console forwarding ").append(a.get(0)).append('\n');
                }));
        return m;
    }

    private void help(MonitorArgs a, StringBuilder out) {
        if (!a.isEmpty()) {
            MonitorCommand c = commands.get(a.get(0));
            if (c == null) {
                throw new IllegalArgumentException("help: no command '" + a.get(0) + "'");
            }
            out.append("usage: monitor ").append(c.usage()).append('\n').append(c.summary()).append('\n');
            return;
        }
        out.append("hvdbg monitor commands:\n");
        int w = 0;
        for (MonitorCommand c : commands.values()) {
            w = Math.max(w, c.usage().length());
        }
        for (MonitorCommand c : commands.values()) {
            out.append(String.format("  %-" + w + "s  %s%n", c.usage(), c.summary()));
        }
        out.append("Exit reasons: a category (CPUID, IO, MSR, HLT/WFI, SBI, MMIO, EPT/NPF, CR_ACCESS …),\n"
                + "a native name (EXIT_REASON_CPUID, VMEXIT_NPF, …) or 'any'. Conditions: port=, msr=, leaf=,\n"
                + "gpa=LOW-HIGH, ext= (SBI extension id or name, e.g. ext=HSM), fid=, cr=.\n");
    }

    /** Result of one command line: output text, or a failure message. */
    public record Result(String output, String error) {
    }

    /** Runs one command line for a session. */
    public Result execute(GdbSession session, String line) {
        List<String> words = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
        words.removeIf(String::isEmpty);
        if (words.isEmpty()) {
            words.add("help");
        }
        String name = words.remove(0);
        MonitorCommand c = commands.get(name);
        if (c == null) {
            return new Result("", "unknown monitor command '" + name + "'; try 'monitor help'");
        }
        StringBuilder out = new StringBuilder();
        try {
            if (!c.whileRunning()) {
                session.requireStopped();
            }
            c.action().run(session, new MonitorArgs(name, words), out);
            return new Result(out.toString(), null);
        } catch (GuestStateProtectedException e) {
            return new Result(out.toString(), name + ": guest state is protected: " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            return new Result(out.toString(), e.getMessage());
        }
    }

    /** Installs the qRcmd packet handler. */
    public PacketTable install(PacketTable table) {
        table.on("qRcmd", this::rcmd);
        return table;
    }

    private boolean rcmd(GdbSession s, PacketScanner in, PacketBuffer out) {
        in.expect(',');
        String line = Hex.decodeText(in.rest());
        if (line == null) {
            throw in.error("the command is not hex-encoded");
        }
        Result r = execute(s, line);
        if (r.error() != null && s.clientSupports("error-message")) {
            out.appendErrorText(r.error());
            return true;
        }
        String text = r.output() + (r.error() != null ? "error: " + r.error() + "\n" : "");
        if (text.isEmpty()) {
            out.appendAscii("OK");
        } else {
            out.appendHexText(text);
        }
        return true;
    }
}
