package dev.vigil.watch;

/**
 * Who a process is: what the kernel knew about it at exec time (or when first looked up).
 *
 * @param pid  the process (thread group) id
 * @param ppid its parent, -1 when unknown
 * @param comm command name, null when unknown
 * @param exe  executable path, null when unknown
 * @param uid  real uid, -1 when unknown
 * @param user user name of uid, null when unknown
 */
public record ProcessInfo(int pid, int ppid, String comm, String exe, int uid, String user) {

    static ProcessInfo unknown(int pid) {
        return new ProcessInfo(pid, -1, null, null, -1, null);
    }

    public boolean known() {
        return comm != null || uid >= 0;
    }

    ProcessInfo withPid(int newPid, int newPpid) {
        return new ProcessInfo(newPid, newPpid, comm, exe, uid, user);
    }

    ProcessInfo withComm(String newComm) {
        return new ProcessInfo(pid, ppid, newComm, exe, uid, user);
    }
}
