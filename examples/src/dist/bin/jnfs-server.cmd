@echo off
rem Starts the jnfs standalone server of this distribution: jnfs-server [options] [DIR...]
rem JAVA_HOME (or java on the PATH) must be a JDK 21 or newer; JAVA_OPTS adds JVM options.
setlocal
set "HOME_DIR=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
"%JAVA%" %JAVA_OPTS% --add-opens java.base/sun.nio.fs=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -cp "%HOME_DIR%\lib\*" dev.jnfs.examples.StandaloneServer %*
