@echo off
rem Runs lenet-app.jar with the Vector API module added, passing on every argument: bin\lenet5 --help
rem
rem The jar: %LENET5_JAR% if set, else lib\lenet-app.jar beside this bin\ folder (a jlink image or an unpacked
rem distribution), else lenet-app\target\lenet-app.jar (a built checkout). The JVM: the java.exe beside this
rem script (a jlink image carries its own), else %JAVA_HOME%\bin\java.exe, else java on the PATH.
rem %JAVA_OPTS% adds JVM options, e.g. set JAVA_OPTS=-Xmx1g.
setlocal
set "HERE=%~dp0"

if not defined LENET5_JAR goto findJar
set "JAR=%LENET5_JAR%"
if exist "%JAR%" goto findJava
echo lenet5: LENET5_JAR is %JAR%, which is not a file. 1>&2
exit /b 1

:findJar
set "JAR=%HERE%..\lib\lenet-app.jar"
if exist "%JAR%" goto findJava
set "JAR=%HERE%..\lenet-app\target\lenet-app.jar"
if exist "%JAR%" goto findJava
echo lenet5: found no lenet-app.jar in %HERE%..\lib or %HERE%..\lenet-app\target; build it with mvnw.cmd -B -q package -DskipTests or set LENET5_JAR. 1>&2
exit /b 1

:findJava
set "JAVA=%HERE%java.exe"
if exist "%JAVA%" goto run
set "JAVA=java"
if not defined JAVA_HOME goto run
set "JAVA=%JAVA_HOME%\bin\java.exe"
if exist "%JAVA%" goto run
echo lenet5: JAVA_HOME is %JAVA_HOME%, which has no bin\java.exe. 1>&2
exit /b 1

:run
"%JAVA%" %JAVA_OPTS% --add-modules jdk.incubator.vector -jar "%JAR%" %*
exit /b %ERRORLEVEL%
