package jp.kitamoto.lists.mail.dkim;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.mail.delivery.CopySigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * DKIM as configured: the key loaded (or created on first start, with the record to publish in the log), the signer
 * for the delivery workers, and what the staff page shows. A key that cannot be read stops start-up: sending
 * unsigned mail for days because of a typo in a path would be found only by members missing mail.
 */
public final class DkimSetup {
    private static final Logger log = LoggerFactory.getLogger(DkimSetup.class);

    private final CopySigner signer;
    private final DkimPublication publication;

    private DkimSetup(CopySigner signer, DkimPublication publication) {
        this.signer = signer;
        this.publication = publication;
    }

    public static DkimSetup start(Settings settings, Clock clock) {
        Settings.Dkim dkim = settings.dkim();
        String domain = settings.server().domain();
        Path keyFile = dkim.keyPath(settings.server());
        if (!dkim.enabled()) {
            log.info("DKIM signing is off (dkim.enabled: false): the MTA must sign for {}", domain);
            return new DkimSetup(CopySigner.NONE, new DkimPublication(false, domain, dkim.selector(), "", keyFile.toString()));
        }
        DkimKeys.Loaded key;
        try {
            key = DkimKeys.loadOrCreate(keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException("DKIM key " + keyFile + " cannot be read or created: " + e.getMessage(), e);
        }
        DkimPublication publication = new DkimPublication(true, domain, dkim.selector(), key.publicKeyBase64(),
                keyFile.toString());
        DkimSigner signer = new DkimSigner(domain, dkim.selector(), key.privateKey(), RsaProviders.fastest(), clock);
        if (key.created()) {
            log.warn("DKIM: created a new key {}. Publish this DNS record, or receivers will see invalid signatures:\n{}",
                    keyFile, publication.zoneLine());
        } else {
            log.info("DKIM: signing as d={} s={} (record {}), key {}", domain, dkim.selector(),
                    publication.recordName(), keyFile);
        }
        return new DkimSetup(new DkimCopySigner(signer), publication);
    }

    public CopySigner signer() {
        return signer;
    }

    /** The DNS record to publish, for the staff page. */
    public DkimPublication publication() {
        return publication;
    }
}
