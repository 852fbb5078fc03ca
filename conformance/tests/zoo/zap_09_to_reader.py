# Desvio: o 09 vai de volta para quem leu (quem mandou o 08), nao para o
# originador da mensagem.
from zap_base import ServidorZap, main


class Servidor(ServidorZap):
    def trata_08(self, conn, msg, envios):
        leitor = self.sessoes.get(conn)
        if leitor is None or len(msg) != 25:
            self.ignorar(conn, "08 inválido ou sem 03")
            return
        envios.append((conn, "09" + leitor + msg[15:25]))


if __name__ == "__main__":
    main(Servidor)
