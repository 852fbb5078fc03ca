# Desvio: quando o cliente fecha, recv() devolve b"" e o laco continua
# ("continue" no lugar de "break"). O aluno tira o cliente da lista de online,
# mas a thread nunca termina: gira para sempre (com uma pausa de 10 ms, para
# nao queimar a maquina de quem roda os testes).
import time

from zap_base import ServidorZap, main


class Servidor(ServidorZap):
    def atender(self, conn, addr):
        saiu = False
        while True:
            try:
                data = conn.recv(self.TAMANHO_RECV)
            except OSError:
                data = b""
            if not data:
                if not saiu:
                    print(f"[-] {addr} desconectou")
                    self.desconectou(conn)
                    saiu = True
                time.sleep(0.01)
                continue  # bug: deveria ser break
            try:
                msg = data.decode("utf-8")
            except UnicodeDecodeError:
                self.ignorar(conn, "mensagem não é UTF-8")
                continue
            self.tratar(conn, msg)


if __name__ == "__main__":
    main(Servidor)
