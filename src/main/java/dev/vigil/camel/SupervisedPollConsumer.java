package dev.vigil.camel;

import dev.vigil.source.Supervisor;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * A scheduled consumer whose poll runs under a {@link Supervisor}: a poll that fails is tried again after a
 * backoff, not only at the next interval (an hour, say). The stop waits for a poll in progress (stopping the
 * scheduler does not), so nothing touches the files or the database after it; a poll the scheduler starts
 * after the stop does nothing. Subclasses say what to {@link #prepare}, {@link #check} and {@link #release}.
 */
public abstract class SupervisedPollConsumer extends ScheduledPollConsumer {

    private final String who;
    private Supervisor supervisor;
    private boolean open;

    /** {@code who} names the source in the supervisor's log lines: "fscan:files". */
    protected SupervisedPollConsumer(Endpoint endpoint, Processor processor, String who) {
        super(endpoint, processor);
        this.who = who;
    }

    /** Prepares what the polls use; runs at start, before the first poll can. */
    protected abstract void prepare() throws Exception;

    /** One poll's work; returns the number of findings sent. */
    protected abstract int check() throws Exception;

    /** The supervisor of the polls, for the source's status (null before the start). */
    protected Supervisor supervisor() {
        return supervisor;
    }

    /** Releases what {@link #prepare} took; runs at stop, after the last poll has ended. */
    protected void release() {
    }

    @Override
    protected void doStart() throws Exception {
        supervisor = new Supervisor(who);
        prepare();
        synchronized (this) {
            open = true;
        }
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        if (supervisor != null) {
            supervisor.stop();
        }
        super.doStop();
        synchronized (this) {
            open = false;
            release();
        }
    }

    @Override
    protected final synchronized int poll() {
        if (!open) {
            return 0;
        }
        return supervisor.run(this::check).orElse(0);
    }
}
