import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads every entry of a ZIP with java.util.zip.ZipFile (central directory, ZIP64) and
 * prints "name TAB directory TAB declared size TAB bytes read TAB sha256" per entry.
 * Run as a single-file source program: java ZipEntryHashes.java archive.zip
 */
public class ZipEntryHashes {
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);
    byte[] buffer = new byte[1 << 20];
    try (ZipFile zip = new ZipFile(new File(args[0]), StandardCharsets.UTF_8)) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long read = 0;
        try (InputStream in = zip.getInputStream(entry)) {
          for (int n; (n = in.read(buffer)) > 0; read += n) sha.update(buffer, 0, n);
        }
        out.println(entry.getName() + "\t" + entry.isDirectory() + "\t" + entry.getSize() + "\t" + read + "\t"
            + HexFormat.of().formatHex(sha.digest()));
      }
    }
    out.flush();
  }
}
