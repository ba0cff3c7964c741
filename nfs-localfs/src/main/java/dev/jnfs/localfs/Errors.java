package dev.jnfs.localfs;

import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns java.nio failures into the SPI's statuses. */
final class Errors {
  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  static NfsException map(IOException e) {
    NfsStatus status = statusOf(e);
    if (status == NfsStatus.IO) {
      LOG.warn("I/O failure: {}", e.toString());
      return new NfsException(status, e.toString(), e);
    }
    return new NfsException(status, e.toString());
  }

  static NfsStatus statusOf(IOException e) {
    if (e instanceof ErrnoException errno) {
      return errno.status();
    }
    if (e instanceof NoSuchFileException) {
      return NfsStatus.NOENT;
    }
    if (e instanceof FileAlreadyExistsException) {
      return NfsStatus.EXIST;
    }
    if (e instanceof DirectoryNotEmptyException) {
      return NfsStatus.NOTEMPTY;
    }
    if (e instanceof NotDirectoryException) {
      return NfsStatus.NOTDIR;
    }
    if (e instanceof AccessDeniedException) {
      return NfsStatus.ACCES;
    }
    if (e instanceof NotLinkException) {
      return NfsStatus.INVAL;
    }
    if (e instanceof FileSystemLoopException) {
      return NfsStatus.IO;
    }
    String reason = e instanceof FileSystemException fse && fse.getReason() != null
        ? fse.getReason() : String.valueOf(e.getMessage());
    reason = reason.toLowerCase(Locale.ROOT);
    if (reason.contains("no space") || reason.contains("not enough space")) {
      return NfsStatus.NOSPC;
    }
    if (reason.contains("quota")) {
      return NfsStatus.DQUOT;
    }
    if (reason.contains("name too long") || reason.contains("filename or extension is too long")) {
      return NfsStatus.NAMETOOLONG;
    }
    if (reason.contains("is a directory")) {
      return NfsStatus.ISDIR;
    }
    if (reason.contains("not a directory")) {
      return NfsStatus.NOTDIR;
    }
    if (reason.contains("directory not empty") || reason.contains("directory is not empty")) {
      return NfsStatus.NOTEMPTY;
    }
    if (reason.contains("too many links")) {
      return NfsStatus.MLINK;
    }
    if (reason.contains("cross-device")) {
      return NfsStatus.XDEV;
    }
    if (reason.contains("read-only file system")) {
      return NfsStatus.ROFS;
    }
    if (reason.contains("operation not permitted") || reason.contains("privilege")) {
      return NfsStatus.PERM;
    }
    if (reason.contains("file too large")) {
      return NfsStatus.FBIG;
    }
    if (reason.contains("invalid argument")) {
      return NfsStatus.INVAL;
    }
    if (reason.contains("being used by another process")) {
      return NfsStatus.FILE_OPEN;
    }
    return NfsStatus.IO;
  }
}
